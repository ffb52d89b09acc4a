package dev.rotor.credential;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The back-off's schedule: doubling from 1 s, capped at 20 s, a budget that is spent to the second. */
class BackoffTest {
    private final List<Duration> slept = new ArrayList<>();
    private final Sleeper sleeper = slept::add;

    private static List<Duration> seconds(long... s) {
        return java.util.Arrays.stream(s).mapToObj(Duration::ofSeconds).toList();
    }

    @Test
    void aFailureThatIsRetryableIsRetriedUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = Backoff.within(Duration.ofMinutes(2), sleeper, e -> true, () -> {
            if (calls.incrementAndGet() < 4) {
                throw new IllegalStateException("not yet");
            }
            return "works";
        });
        assertEquals("works", result);
        assertEquals(4, calls.get());
        assertEquals(seconds(1, 2, 4), slept, "waits double from one second");
    }

    @Test
    void theWaitsDoubleUpToTwentySecondsAndTheBudgetIsSpentExactly() {
        RuntimeException last = new IllegalStateException("never works");
        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> Backoff.within(Duration.ofSeconds(91), sleeper, e -> true, () -> {
                    throw last;
                }));
        assertSame(last, thrown, "the last failure is what the caller sees");
        assertEquals(seconds(1, 2, 4, 8, 16, 20, 20, 20), slept, "1+2+4+8+16+20+20+20 = 91 s, the whole budget");
    }

    @Test
    void aWaitThatWouldOverrunTheBudgetIsNotTaken() {
        assertThrows(IllegalStateException.class, () -> Backoff.within(Duration.ofSeconds(6), sleeper, e -> true, () -> {
            throw new IllegalStateException("never works");
        }));
        assertEquals(seconds(1, 2), slept, "a third wait of 4 s would end after 7 s");
    }

    @Test
    void aFailureThatIsNotRetryableEndsAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> Backoff.within(Duration.ofMinutes(2), sleeper,
                e -> e instanceof IllegalStateException, () -> {
                    calls.incrementAndGet();
                    throw new IllegalArgumentException("bad request");
                }));
        assertEquals(1, calls.get());
        assertEquals(List.of(), slept);
    }
}
