package dev.rotor.rotation;

import dev.rotor.policy.Kind;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One pass ({@link RunService}) on one emulated Rotor: a kind filter acts on those kinds only (a declaration that
 * does not parse has no kind and is always reported), a secret another run holds is reported skipped-locked, a dry
 * run plans and writes nothing, and a run that is not dry ends with one {@link RunFinished} event showing every
 * listed secret as the run left it. Each test has secrets of its own and reads only their results.
 */
class RunServiceTest {
    private static Engine engine;
    private static final List<RunFinished> events = new ArrayList<>();
    private static RunService runs;

    @BeforeAll
    static void start() {
        engine = new Engine();
        runs = new RunService(engine.env.bean(SecretStore.class), engine.env.bean(Rotator.class),
                engine.env.bean(RotationProperties.class), engine.env.bean(Clock.class), events::add,
                engine.env.bean(OwnWrites.class));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static SecretResult result(RunReport report, String secret) {
        return report.secrets().stream().filter(s -> s.secret().equals(secret)).findFirst().orElseThrow();
    }

    private static boolean reported(RunReport report, String secret) {
        return report.secrets().stream().anyMatch(s -> s.secret().equals(secret));
    }

    @Test
    void aKindFilterActsOnThoseKindsOnlyAndStillReportsWhatDoesNotParse() {
        engine.declare("filter-gen", Map.of("rotor.kind", "generated"));
        engine.declare("filter-token", Map.of("rotor.kind", "access-token", "rotor.service-account",
                engine.account("filtered")));
        engine.declare("filter-bad", Map.of("rotor.kind", "nonsense"));
        RunReport r = runs.run(new RunService.RunRequest("kinds", Set.of(Kind.GENERATED), false));
        assertEquals(SecretResult.ROTATED, result(r, "filter-gen").outcome());
        assertTrue(!reported(r, "filter-token"), r.toString());
        assertNull(engine.state("filter-token").current(), "another kind is left for its own run");
        SecretResult bad = result(r, "filter-bad");
        assertEquals(SecretResult.MISCONFIGURED, bad.outcome());
        assertNull(bad.kind());
        assertEquals("none", bad.action());
    }

    @Test
    void aSecretAnotherRunHoldsIsReportedSkippedLocked() {
        engine.declare("locked", Map.of("rotor.kind", "generated"));
        SecretStore store = engine.env.bean(SecretStore.class);
        ManagedSecret s = store.get(new SecretRef(Engine.PROJECT, "locked"));
        StateCodec.save(store, s, RotationState.NEW.withLease("run-9",
                engine.env.clock.instant().plus(Duration.ofMinutes(10))));
        SecretResult locked = result(runs.run(new RunService.RunRequest("held", Set.of(), false)), "locked");
        assertEquals(SecretResult.SKIPPED_LOCKED, locked.outcome());
        assertEquals("generated", locked.kind());
        assertEquals("none", locked.action());
        assertEquals(0, engine.versions("locked").size());
    }

    @Test
    void aDryRunPlansWithoutWritingOrAnEvent() {
        engine.declare("planned", Map.of("rotor.kind", "generated"));
        int before = events.size();
        RunReport r = runs.run(new RunService.RunRequest("dry", Set.of(), true));
        SecretResult p = result(r, "planned");
        assertEquals(SecretResult.PLANNED, p.outcome());
        assertEquals("rotate", p.action());
        assertNull(p.toVersion());
        assertTrue(r.dryRun());
        assertEquals(0, engine.versions("planned").size());
        assertEquals(before, events.size(), "a dry run changes nothing, so nothing is announced");
    }

    @Test
    void aRunEndsWithOneEventShowingEachListedSecretAsTheRunLeftIt() {
        engine.declare("announced", Map.of("rotor.kind", "generated"));
        engine.declare("announced-bad", Map.of("rotor.kind", "generated", "rotor.encryption", "cmek"));
        int before = events.size();
        RunReport r = runs.run(new RunService.RunRequest("announce", Set.of(), false));
        assertEquals(before + 1, events.size());
        RunFinished e = events.getLast();
        assertEquals(r, e.report());
        assertEquals("announce", r.runId());
        RunFinished.Seen seen = e.secrets().stream().filter(s -> s.ref().secret().equals("announced")).findFirst()
                .orElseThrow();
        assertEquals(1L, seen.state().current(), "the secret as the run left it, not as it was listed");
        RunFinished.Seen bad = e.secrets().stream().filter(s -> s.ref().secret().equals("announced-bad"))
                .findFirst().orElseThrow();
        assertEquals(Declared.CMEK_MISSING, bad.problem());
        assertEquals(SecretResult.MISCONFIGURED, result(r, "announced-bad").outcome());
        assertEquals(Declared.CMEK_MISSING, result(r, "announced-bad").error());
        assertTrue(!r.startedAt().isAfter(r.finishedAt()));
    }

    /**
     * Interrupting a run while a secret rotates ends the run at once with the interrupt kept, so closing its
     * executor stops the rotation in flight instead of waiting for it (the hook holds the rotation before its
     * claim, up to 30 s, until it is interrupted; it writes nothing).
     */
    @Test
    void anInterruptedRunKeepsTheInterruptAndStopsTheRotationsInFlight() throws InterruptedException {
        try (Engine e = new Engine()) {
            e.declare("interrupted", Map.of("rotor.kind", "generated"));
            CountDownLatch claiming = new CountDownLatch(1);
            AtomicBoolean stopped = new AtomicBoolean();
            e.hook.also((step, ref) -> {
                if (step == Step.CLAIM) {
                    claiming.countDown();
                    try {
                        assertFalse(new CountDownLatch(1).await(30, TimeUnit.SECONDS), "nothing releases it");
                    } catch (InterruptedException stop) {
                        stopped.set(true);
                        throw new CrashHook.Crash(step);
                    }
                }
            });
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean interruptKept = new AtomicBoolean();
            Thread run = new Thread(() -> {
                try {
                    e.run();
                } catch (Throwable t) {
                    thrown.set(t);
                    interruptKept.set(Thread.currentThread().isInterrupted());
                }
            });
            run.start();
            assertTrue(claiming.await(30, TimeUnit.SECONDS), "the rotation started");
            run.interrupt();
            run.join();
            assertEquals("run interrupted", thrown.get().getMessage());
            assertTrue(interruptKept.get(), "the caller still sees the interrupt");
            assertTrue(stopped.get(), "the rotation in flight was interrupted, not waited for");
            assertNull(e.state("interrupted").current(), "stopped before its claim: nothing was written");
        }
    }
}
