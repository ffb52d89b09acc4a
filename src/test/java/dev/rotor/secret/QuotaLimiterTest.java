package dev.rotor.secret;

import org.junit.jupiter.api.Test;

import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Project-wide pacing of Secret Manager calls (600 reads and 600 writes a minute per project, gcp-api-facts
 * §1.9): a burst of {@code limit/20} goes at once and the next call waits its turn. Whether a call waits is
 * seen from its thread's state (parked), never from how long it took; a parked caller is released at once.
 */
class QuotaLimiterTest {
    private static QuotaLimiter limiter(int writesPerMinute, int readsPerMinute) {
        return new QuotaLimiter(new SecretManagerQuotaProperties(writesPerMinute, readsPerMinute));
    }

    /** Runs {@code calls} on a thread of its own; true when it parked to wait for a permit. */
    private static boolean waits(Runnable calls) throws InterruptedException {
        Thread t = Thread.ofPlatform().start(calls);
        while (true) {
            Thread.State s = t.getState();
            if (s == Thread.State.TERMINATED) {
                return false;
            }
            if (s == Thread.State.TIMED_WAITING) {
                LockSupport.unpark(t);
                t.join();
                return true;
            }
            Thread.onSpinWait();
        }
    }

    private static Runnable times(int n, Runnable call) {
        return () -> {
            for (int i = 0; i < n; i++) {
                call.run();
            }
        };
    }

    @Test
    void aBurstOfATwentiethOfTheLimitGoesAtOnceAndTheNextCallWaits() throws InterruptedException {
        // 60 a minute: a burst of 3, refilled at 57 a minute (about one a second)
        QuotaLimiter q = limiter(60, 60);
        assertFalse(waits(times(3, () -> q.read("p"))));
        assertTrue(waits(() -> q.read("p")));
        assertFalse(waits(times(3, () -> q.write("p"))), "writes have their own bucket");
        assertTrue(waits(() -> q.write("p")));
    }

    /** A limit of one a minute: the second call waits about a minute, not forever (it waited Long.MAX_VALUE ns). */
    @Test
    void aLimitOfOneAMinuteLetsTheNextCallGoAMinuteLater() {
        QuotaLimiter q = limiter(1, 1);
        assertEquals(0, q.reserve("w|p", 1));
        long wait = q.reserve("w|p", 1);
        assertTrue(wait > java.util.concurrent.TimeUnit.SECONDS.toNanos(59)
                && wait <= java.util.concurrent.TimeUnit.MINUTES.toNanos(1), wait + " ns");
    }

    @Test
    void aSmallLimitStillAllowsOneCallAtOnce() throws InterruptedException {
        QuotaLimiter q = limiter(10, 10);
        assertFalse(waits(() -> q.write("p")));
        assertTrue(waits(() -> q.write("p")));
    }

    @Test
    void eachProjectHasItsOwnBuckets() throws InterruptedException {
        QuotaLimiter q = limiter(20, 20);
        assertFalse(waits(() -> q.read("p")));
        assertFalse(waits(() -> q.read("q")));
        assertFalse(waits(() -> q.write("p")));
    }

    @Test
    void aLimitOfZeroTurnsPacingOff() throws InterruptedException {
        QuotaLimiter q = limiter(0, 0);
        assertFalse(waits(times(1000, () -> {
            q.read("p");
            q.write("p");
        })));
    }
}
