package dev.rotor.rotation;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Rolling one secret's consumers (issue 11 item 11): in parallel up to a bound, with the lease renewed while
 * they roll. Revisions get ready on the emulator's clock, which the test moves; waits are for conditions.
 */
class RollTest {
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private Engine engine;

    @AfterEach
    void close() {
        executor.shutdownNow();
        engine.close();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("never happened: " + what);
            }
            Thread.sleep(100); // slow enough to stay within the emulator's read quota
        }
    }

    private long updates() {
        return engine.env.emulator.faults().calls("UpdateService");
    }

    /**
     * Revisions the rolls have made so far. A test that moves the clock waits for this, not for {@link #updates()}:
     * a call is counted when it arrives, before the emulator has created its revision and fixed its ready time, so
     * a clock moved in between would push that ready time out of the test's reach and the roll would never end.
     */
    private long revisionsMade(String... services) {
        return Arrays.stream(services).mapToLong(s -> engine.env.emulator.cloudRun()
                .revisions(ConsumersTest.PARENT + "/services/" + s) - 1).sum();
    }

    /** Holds each UpdateService between being counted and taking effect, so the wait above is proven needed. */
    private void slowUpdates() {
        engine.env.emulator.faults().latency("UpdateService", Duration.ofMillis(300));
    }

    private static String target(String service) {
        return "run:" + ConsumersTest.PARENT + "/services/" + service;
    }

    @Test
    void aSecretsConsumersRollInParallelAtMostTheConfiguredNumberAtOnce() throws Exception {
        engine = new Engine(Map.of("rotor.roll.concurrency", "2", "rotor.roll.check-every", "5ms"));
        for (String s : new String[] {"api", "web", "worker"}) {
            ConsumersTest.service(engine, s, "latest", false);
        }
        engine.env.emulator.cloudRun().readyDelay(Duration.ofMinutes(1));
        slowUpdates();
        engine.declare("db", Map.of("rotor.kind", "generated",
                "rotor.consumers", target("api") + "," + target("web") + "," + target("worker")));
        Future<RunReport> run = executor.submit(engine::run);
        String[] services = {"api", "web", "worker"};
        await("two rolls started together", () -> revisionsMade(services) == 2);
        Thread.sleep(200);
        assertEquals(2, updates(), "the third waits for a free place");
        engine.env.clock.advance(Duration.ofMinutes(2));
        await("the third roll started", () -> revisionsMade(services) == 3);
        engine.env.clock.advance(Duration.ofMinutes(2));
        RunReport r = run.get(60, TimeUnit.SECONDS);
        assertEquals(1, r.summary().rotated(), r.toString());
        assertTrue(r.secrets().getFirst().consumers().stream().allMatch(o -> o.ok()), r.toString());
        assertEquals(target("api"), r.secrets().getFirst().consumers().getFirst().target(), "in declaration order");
    }

    @Test
    void theLeaseIsRenewedWhileAConsumerRollsSoAnotherRunDoesNotTakeOver() throws Exception {
        engine = new Engine(Map.of("rotor.roll.check-every", "5ms", "rotor.roll.timeout", "PT1H"));
        ConsumersTest.service(engine, "api", "latest", false);
        engine.env.emulator.cloudRun().readyDelay(Duration.ofMinutes(25));
        slowUpdates();
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.consumers", target("api")));
        Future<RunReport> first = executor.submit(engine::run);
        await("the roll started", () -> revisionsMade("api") == 1);
        Instant claimed = engine.state("db").leaseExpiry();
        engine.env.clock.advance(Duration.ofMinutes(6));
        await("renewed once", () -> engine.state("db").leaseExpiry().isAfter(claimed));
        Instant renewed = engine.state("db").leaseExpiry();
        engine.env.clock.advance(Duration.ofMinutes(6)); // past the lease first claimed
        await("renewed again", () -> engine.state("db").leaseExpiry().isAfter(renewed));
        RunReport second = engine.run();
        assertEquals(1, second.summary().skipped(), "the roll is still owned by the first run: " + second);
        engine.env.clock.advance(Duration.ofMinutes(14));
        RunReport r = first.get(60, TimeUnit.SECONDS);
        assertEquals(1, r.summary().rotated(), r.toString());
        assertEquals(1, updates(), "one revision, not a second from a takeover");
    }
}
