package dev.rotor.rotation;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code rotor.concurrency} bounds how many secrets one run rotates at once. The step hook counts rotations in
 * flight, from their claim to their retirement; the first two to claim wait for each other on a barrier, so the
 * test also shows that two really ran together (a run that went one at a time would break the barrier).
 */
class RunConcurrencyTest {
    @Test
    void aRunRotatesAtMostTheConfiguredNumberOfSecretsAtOnce() {
        try (Engine e = new Engine(Map.of("rotor.concurrency", "2"))) {
            for (int i = 0; i < 6; i++) {
                e.declare("s" + i, Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"));
            }
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            AtomicInteger claims = new AtomicInteger();
            CyclicBarrier firstTwo = new CyclicBarrier(2);
            e.hook.also((step, ref) -> {
                if (step == Step.CLAIM) {
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    if (claims.incrementAndGet() <= 2) {
                        try {
                            firstTwo.await(30, TimeUnit.SECONDS);
                        } catch (Exception broken) {
                            throw new IllegalStateException("the first two rotations did not run together", broken);
                        }
                    }
                } else if (step == Step.RETIRE) {
                    inFlight.decrementAndGet();
                }
            });
            RunReport r = e.run();
            e.hook.also((step, ref) -> { });
            assertEquals(6, r.summary().rotated(), r.toString());
            assertEquals(2, most.get(), "rotations in flight at once, with rotor.concurrency 2");
        }
    }
}
