package dev.rotor.rotation;

import dev.rotor.consumer.Consumers;
import dev.rotor.consumer.Restarter;
import dev.rotor.policy.Declaration;
import dev.rotor.policy.Policy;
import dev.rotor.policy.PolicyParser;
import dev.rotor.secret.SecretRef;
import dev.rotor.testing.CapturedLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Roller} alone, on one emulated Rotor whose Cloud Run revisions get ready on the emulator's clock: a
 * roll still running when {@code rotor.roll.timeout} has passed on Rotor's clock (to the millisecond) is ended
 * and counts as failed, one that finishes before is not, and an interrupt of the waiting thread ends the roll
 * with the interrupt kept. The clock is moved from {@code whileWaiting}, which runs on the waiting thread.
 */
class RollerTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static Engine engine;
    private static Roller roller;
    private static int services;

    @BeforeAll
    static void start() {
        engine = new Engine();
        roller = new Roller(engine.env.bean(Consumers.class), engine.env.clock,
                new RollProperties(1, TIMEOUT, Duration.ofMillis(5)));
    }

    @AfterAll
    static void stop() {
        engine.env.clock.advance(Duration.ofDays(1)); // the revisions of ended rolls get ready: nothing is left polling
        engine.close();
    }

    /** A Cloud Run consumer of its own whose next revision is ready {@code ready} after the roll asks for it. */
    private static String consumer(Duration ready) {
        String id = "svc" + (++services);
        ConsumersTest.service(engine, id, "latest", false);
        engine.env.emulator.cloudRun().readyDelay(ready);
        return "run:" + ConsumersTest.PARENT + "/services/" + id;
    }

    private static Policy policy(String target) {
        return ((Declaration.Valid) PolicyParser.parse(Map.of("rotor.kind", "generated", "rotor.consumers", target)))
                .policy();
    }

    private static long updates() {
        return engine.env.emulator.faults().calls("UpdateService");
    }

    /** Moves the clock by {@code step} at the first check after the roll has asked for its revision. */
    private static Runnable advanceOnceRolling(long updatesBefore, Duration step) {
        AtomicBoolean moved = new AtomicBoolean();
        return () -> {
            if (updates() > updatesBefore && !moved.getAndSet(true)) {
                engine.env.clock.advance(step);
            }
        };
    }

    private static Consumers.Outcome rollOne(String target, Runnable whileWaiting) {
        List<Consumers.Outcome> outcomes = roller.roll(List.of(target), policy(target),
                new SecretRef(Engine.PROJECT, "db"), 1, whileWaiting);
        assertEquals(1, outcomes.size());
        assertEquals(target, outcomes.getFirst().target());
        return outcomes.getFirst();
    }

    @Test
    void aRollStillRunningWhenTheTimeoutHasPassedIsEndedAndCountsAsFailed() {
        String target = consumer(Duration.ofHours(1));
        Consumers.Outcome o;
        List<String> logged;
        try (CapturedLog log = CapturedLog.of(Roller.class.getName())) {
            o = rollOne(target, advanceOnceRolling(updates(), TIMEOUT)); // exactly: it has passed
            logged = log.messages();
        }
        assertEquals(List.of("rolling " + target + " to version 1 of " + new SecretRef(Engine.PROJECT, "db")
                + " timed out after " + TIMEOUT), logged,
                "the roll it ended is logged, once");
        assertFalse(o.ok(), o.toString());
        assertEquals("failed", o.outcome());
        assertEquals("did not finish rolling within " + TIMEOUT, o.error());
        assertEquals(TIMEOUT.toMillis(), o.millis());
    }

    @Test
    void aRollThatFinishesBeforeTheTimeoutIsNotEnded() {
        String target = consumer(Duration.ofMinutes(9));
        Consumers.Outcome o = rollOne(target, advanceOnceRolling(updates(), Duration.ofMinutes(9)));
        assertTrue(o.ok(), o.toString());
    }

    @Test
    void noConsumersIsNothingToWaitFor() {
        AtomicBoolean waited = new AtomicBoolean();
        assertEquals(List.of(), roller.roll(List.of(), policy("run:" + ConsumersTest.PARENT + "/services/none"),
                new SecretRef(Engine.PROJECT, "db"), 1, () -> waited.set(true)));
        assertFalse(waited.get());
    }

    @Test
    void anInterruptWhileWaitingEndsTheRollAndKeepsTheInterrupt() throws Exception {
        String target = consumer(Duration.ofHours(1));
        long before = updates();
        CompletableFuture<String> ended = new CompletableFuture<>();
        Thread waiting = Thread.ofPlatform().start(() -> {
            try {
                rollOne(target, () -> { });
                ended.complete("returned");
            } catch (IllegalStateException e) {
                ended.complete(e.getMessage() + "; interrupted " + Thread.currentThread().isInterrupted());
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (updates() == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        waiting.interrupt();
        assertEquals("interrupted while consumers were rolling; the next run retries the roll; interrupted true",
                ended.get(60, TimeUnit.SECONDS));
    }

    @Test
    void aTargetNoRestarterOfThisBuildHandlesIsNamedWithTheReason() {
        String handled = "run:" + ConsumersTest.PARENT + "/services/any";
        assertEquals(Optional.empty(), roller.unsupported(List.of(handled)));
        assertEquals(Optional.of("rotor.consumers: no restarter for lambda targets in this build (lambda:fn)"),
                roller.unsupported(List.of(handled, "lambda:fn")));
    }

    @Test
    void aRestarterThatBreaksItsContractStillEndsAsAFailedRoll() {
        // Consumers turns every RuntimeException into an outcome; an Error gets through to the roller's future
        Restarter broken = new Restarter() {
            @Override
            public boolean handles(String target) {
                return target.startsWith("broken:");
            }

            @Override
            public Rolled roll(Roll roll) {
                throw new AssertionError("a restarter bug");
            }
        };
        Roller own = new Roller(new Consumers(List.of(broken)), engine.env.clock,
                new RollProperties(1, TIMEOUT, Duration.ofMillis(5)));
        List<Consumers.Outcome> outcomes = own.roll(List.of("broken:a"), policy("run:" + ConsumersTest.PARENT
                + "/services/none"), new SecretRef(Engine.PROJECT, "db"), 1, () -> { });
        assertEquals(1, outcomes.size());
        assertEquals("broken:a", outcomes.getFirst().target());
        assertEquals("failed", outcomes.getFirst().outcome());
        assertEquals("roll failed: AssertionError", outcomes.getFirst().error(), "names what the restarter threw");
    }

    /**
     * With {@code check-every} an hour, the caller is back as soon as the last consumer finished, not at the next
     * check: each finished roll counts down what the caller waits on. The restarter holds its roll until the
     * caller is waiting, so the caller is known to be inside the wait when the roll ends.
     */
    @Test
    void theCallerIsBackAsSoonAsTheLastRollFinishedNotAtTheNextCheck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Restarter held = new Restarter() {
            @Override
            public boolean handles(String target) {
                return target.startsWith("held:");
            }

            @Override
            public Rolled roll(Roll roll) {
                try {
                    assertTrue(release.await(30, TimeUnit.SECONDS), "released");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return new Rolled(true, List.of());
            }
        };
        Roller own = new Roller(new Consumers(List.of(held)), engine.env.clock,
                new RollProperties(1, TIMEOUT, Duration.ofHours(1)));
        CompletableFuture<List<Consumers.Outcome>> rolled = new CompletableFuture<>();
        Thread caller = Thread.ofPlatform().daemon().start(() -> rolled.complete(own.roll(List.of("held:a"),
                policy("run:" + ConsumersTest.PARENT + "/services/none"), new SecretRef(Engine.PROJECT, "db"), 1,
                () -> { })));
        while (caller.isAlive() && !waitsForTheRolls(caller)) {
            Thread.onSpinWait();
        }
        release.countDown();
        List<Consumers.Outcome> outcomes = rolled.get(30, TimeUnit.SECONDS); // not the hour check-every would take
        assertTrue(outcomes.getFirst().ok(), outcomes.toString());
    }

    private static boolean waitsForTheRolls(Thread t) {
        return t.getState() == Thread.State.TIMED_WAITING && java.util.Arrays.stream(t.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(Roller.class.getName()) && f.getMethodName().equals("await"));
    }
}
