package dev.rotor.secret;

import dev.rotor.error.RemoteException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rotor's retry of idempotent sequences: only retryable statuses, a bounded number of tries, no back-off wait. */
class RetrierTest {
    private final AtomicInteger calls = new AtomicInteger();

    private static Retrier retrier(int attempts) {
        return new Retrier(new RetryProperties(attempts, Duration.ZERO));
    }

    private String failingTimes(int failures, RemoteException e) {
        if (calls.incrementAndGet() <= failures) {
            throw e;
        }
        return "done";
    }

    @Test
    void aRetryableFailureIsTriedAgainUntilItSucceeds() {
        assertEquals("done", retrier(4).call(() -> failingTimes(3, new RemoteException.Retryable("UNAVAILABLE", null))));
        assertEquals(4, calls.get());
    }

    @Test
    void afterTheLastAttemptTheLastFailureIsThrown() {
        RemoteException.Retryable last = new RemoteException.Retryable("UNAVAILABLE", null);
        assertSame(last, assertThrows(RemoteException.Retryable.class,
                () -> retrier(3).call(() -> failingTimes(3, last))));
        assertEquals(3, calls.get());
    }

    @Test
    void oneAttemptMeansNoRetry() {
        assertThrows(RemoteException.Retryable.class,
                () -> retrier(1).call(() -> failingTimes(1, new RemoteException.Retryable("UNAVAILABLE", null))));
        assertEquals(1, calls.get());
    }

    @Test
    void anythingElseIsThrownAtOnce() {
        assertThrows(RemoteException.NotFound.class,
                () -> retrier(4).call(() -> failingTimes(1, new RemoteException.NotFound("NOT_FOUND", null))));
        assertEquals(1, calls.get());
    }

    @Test
    void anInterruptDuringTheBackOffStopsRetryingAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> retrier(4).call(() -> failingTimes(3, new RemoteException.Retryable("UNAVAILABLE", null))));
            assertEquals("interrupted while backing off", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
            assertEquals(1, calls.get());
        } finally {
            Thread.interrupted();
        }
    }
}
