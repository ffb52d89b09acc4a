package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.SecretVersion;
import dev.rotor.policy.RotationState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole lifecycle of the {@code generated} kind through the real client against the emulator. */
class RotationEngineTest {
    private static final Map<String, String> MONTHLY = Map.of("rotor.kind", "generated",
            "rotor.rotate-every", "P30D", "rotor.grace", "PT1H", "rotor.length", "40", "rotor.format", "alnum");

    private final Engine engine = new Engine();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void firstRunPublishesVersionOneAndPointsCurrentAtIt() {
        engine.declare("db", MONTHLY);
        RunReport report = engine.run();
        assertEquals(1, report.summary().rotated(), report.toString());
        SecretResult r = report.secrets().getFirst();
        assertEquals(1L, r.toVersion());
        assertNull(r.fromVersion());
        assertEquals(Map.of("current", 1L), engine.aliases("db"));
        RotationState state = engine.state("db");
        assertEquals(RotationState.Phase.IDLE, state.phase());
        assertNull(state.leaseHolder());
        String value = engine.access("db", "current");
        assertEquals(40, value.length());
        assertTrue(value.chars().allMatch(Character::isLetterOrDigit), value);
    }

    @Test
    void aSecondPassChangesNothingAndCostsOneListCall() {
        engine.declare("db", MONTHLY);
        engine.run();
        String etag = engine.client.getSecret(Engine.name("db")).getEtag();
        engine.env.emulator.faults().resetCounts();
        RunReport again = engine.run();
        assertEquals(0, again.summary().rotated());
        assertEquals(List.of("ListSecrets"), engine.env.emulator.faults().log());
        assertEquals(etag, engine.client.getSecret(Engine.name("db")).getEtag());
    }

    @Test
    void rotatesWhenDueAndRetiresBeyondKeepEnabledAfterGrace() {
        engine.declare("db", MONTHLY);
        engine.run();
        String first = engine.access("db", "1");
        engine.env.clock.advance(Duration.ofDays(31));
        RunReport second = engine.run();
        assertEquals(1, second.summary().rotated());
        assertEquals(Map.of("current", 2L, "previous", 1L), engine.aliases("db"));
        assertEquals(first, engine.access("db", "previous"));
        // keep-enabled 2: both stay enabled
        assertTrue(engine.versions("db").stream().allMatch(v -> v.getState() == SecretVersion.State.ENABLED));

        engine.env.clock.advance(Duration.ofDays(31));
        engine.run();
        assertEquals(Map.of("current", 3L, "previous", 2L), engine.aliases("db"));
        List<SecretVersion> versions = engine.versions("db");
        assertEquals(SecretVersion.State.DISABLED, versions.get(2).getState()); // version 1
        assertEquals(SecretVersion.State.ENABLED, versions.get(1).getState());

        // after retain (default 7 days), the disabled version is destroyed by a retirement pass
        engine.env.clock.advance(Duration.ofDays(8));
        RunReport retire = engine.run();
        assertEquals(1, retire.summary().retired(), retire.toString());
        assertEquals(SecretVersion.State.DESTROYED, engine.versions("db").get(2).getState());
    }

    @Test
    void withADestroyTtlRetirementIsOneScheduledDestroy() {
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.keep-enabled", "1",
                "rotor.grace", "PT0S"), 86_400);
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.env.emulator.faults().resetCounts();
        engine.run();
        SecretVersion v1 = engine.versions("db").get(1);
        assertEquals(SecretVersion.State.DISABLED, v1.getState());
        assertTrue(v1.hasScheduledDestroyTime());
        assertEquals(1, engine.env.emulator.faults().calls("DestroySecretVersion"));
        assertEquals(0, engine.env.emulator.faults().calls("DisableSecretVersion"));
    }

    @Test
    void misconfiguredSecretsAreReportedUntouchedWhileOthersRotate() {
        engine.declare("good", MONTHLY);
        engine.declare("bad", Map.of("rotor.kind", "generated", "rotor.grace", "3 days"));
        String badEtag = engine.client.getSecret(Engine.name("bad")).getEtag();
        RunReport report = engine.run();
        assertEquals(1, report.summary().rotated());
        assertEquals(1, report.summary().misconfigured());
        SecretResult bad = report.secrets().stream().filter(r -> r.secret().equals("bad")).findFirst().orElseThrow();
        assertEquals("rotor.grace: \"3 days\" is not an ISO-8601 duration (for example PT1H or P7D)", bad.error());
        assertEquals(badEtag, engine.client.getSecret(Engine.name("bad")).getEtag());
        assertTrue(engine.versions("bad").isEmpty());
    }

    @Test
    void aKeyForAMissingServiceAccountFailsAndPublishesNothing() {
        engine.declare("key", Map.of("rotor.kind", "service-account-key",
                "rotor.service-account", "ghost@demo-project.iam.gserviceaccount.com"));
        RunReport report = engine.run();
        assertEquals(1, report.summary().failed());
        String error = report.secrets().getFirst().error();
        assertTrue(error.contains("ghost@demo-project.iam.gserviceaccount.com") && error.contains("NOT_FOUND")
                && error.contains("nothing was published"), error);
        assertTrue(engine.versions("key").isEmpty());
    }

    @Test
    void dryRunPlansWithoutWriting() {
        engine.declare("db", MONTHLY);
        String etag = engine.client.getSecret(Engine.name("db")).getEtag();
        RunReport plan = engine.env.bean(RunService.class).run(new RunService.RunRequest("plan", java.util.Set.of(), true));
        assertEquals("planned", plan.secrets().getFirst().outcome());
        assertEquals("rotate", plan.secrets().getFirst().action());
        assertEquals(etag, engine.client.getSecret(Engine.name("db")).getEtag());
        assertTrue(engine.versions("db").isEmpty());
    }

    @Test
    void aFailedAttemptReleasesItsLeaseAndSaysNothingWasPublished() {
        engine.declare("db", MONTHLY);
        engine.env.emulator.faults().fail("AddSecretVersion", io.grpc.Status.Code.PERMISSION_DENIED,
                dev.rotor.local.faults.Faults.When.BEFORE, 1);
        RunReport failed = engine.run();
        assertEquals(1, failed.summary().failed());
        assertTrue(failed.secrets().getFirst().error().contains("nothing was published, current stays none"),
                failed.toString());
        assertNull(engine.state("db").leaseHolder());
        RunReport retried = engine.run();
        assertEquals(1, retried.summary().rotated());
        assertEquals(1, engine.versions("db").size());
    }

    @Test
    void aLeaseHeldByADeadRunIsSkippedUntilItExpiresThenTheVersionIsAdopted() {
        engine.declare("db", MONTHLY);
        engine.hook.crashAt(Step.COMMIT);
        org.junit.jupiter.api.Assertions.assertThrows(CrashHook.Crash.class, engine::run);
        engine.hook.crashAt(null);
        assertEquals(RotationState.Phase.ROTATING, engine.state("db").phase());

        RunReport locked = engine.run();
        assertEquals(1, locked.summary().skipped(), locked.toString());

        engine.env.clock.advance(Duration.ofMinutes(11));
        RunReport resumed = engine.run();
        assertEquals(1, resumed.summary().rotated(), resumed.toString());
        assertEquals("resume", resumed.secrets().getFirst().action());
        assertEquals(1, engine.versions("db").size(), "the interrupted attempt's version is adopted, not duplicated");
        assertEquals(Map.of("current", 1L), engine.aliases("db"));
    }
}
