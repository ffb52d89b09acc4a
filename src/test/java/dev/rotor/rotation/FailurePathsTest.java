package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.SecretVersion;
import dev.rotor.credential.ServiceAccountKeys;
import dev.rotor.local.faults.Faults;
import dev.rotor.policy.RotationState;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's bad nights (issue 11): each test failed on the code before its fix. */
class FailurePathsTest {
    private static final String GKE = "gke:projects/demo-project/locations/europe-west1/clusters/c/namespaces/default"
            + "/deployments/api";
    private final Engine engine = new Engine(Map.of("rotor.roll.check-every", "5ms"));

    @AfterEach
    void close() {
        engine.close();
    }

    private SecretResult manual(boolean revoke) {
        return engine.env.bean(ManualRotation.class).rotate(new dev.rotor.secret.SecretRef(Engine.PROJECT, "key"),
                "operator@demo-project.iam.gserviceaccount.com", "leaked", revoke);
    }

    private Map<String, String> keyPolicy(String sa) {
        return Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa, "rotor.consumers", GKE);
    }

    private List<String> enabledKeys(String sa) {
        return engine.env.bean(ServiceAccountKeys.class).userManaged(sa).stream().filter(k -> !k.disabled())
                .map(ServiceAccountKeys.KeyInfo::id).toList();
    }

    private List<String> allKeys(String sa) {
        return engine.env.bean(ServiceAccountKeys.class).userManaged(sa).stream().map(ServiceAccountKeys.KeyInfo::id)
                .toList();
    }

    @Test
    void anEmergencyRotationDuringAPendingRollMintsAndRevokesNow() {
        String sa = engine.account("app");
        engine.declare("key", keyPolicy(sa));
        assertEquals(1, engine.run().summary().failed(), "the consumer cannot roll");
        String leaked = engine.state("key").keyIds().get("1");
        SecretResult r = manual(true);
        assertEquals(2L, r.toVersion(), r.toString());
        assertEquals(2L, engine.aliases("key").get("current"));
        assertEquals(SecretVersion.State.DISABLED, engine.versions("key").get(1).getState(),
                "the leaked version is revoked although the consumer has not rolled");
        assertFalse(allKeys(sa).contains(leaked), "the leaked key is deleted, not only disabled");
        assertEquals(List.of(engine.state("key").keyIds().get("2")), enabledKeys(sa));
    }

    /** Writes an annotation of its own, as a person or Terraform would, changing the secret's etag. */
    private void externalWrite(String id) {
        engine.externalWrite(id, "team", "payments-" + System.nanoTime());
    }

    private void keyRotatedOnce() {
        engine.declare("key", Map.of("rotor.kind", "service-account-key", "rotor.service-account",
                engine.account("app")));
        engine.run();
    }

    @Test
    void anEmergencyRotationRetriesAClaimLostToAnotherWriter() {
        keyRotatedOnce();
        engine.hook.at(Step.CLAIM, 1, () -> externalWrite("key"));
        SecretResult r = manual(true);
        assertEquals(SecretResult.ROTATED, r.outcome(), r.toString());
        assertEquals(SecretVersion.State.DISABLED, engine.versions("key").get(1).getState(), "revoked all the same");
    }

    @Test
    void anEmergencyRotationThatCannotClaimIsRefusedAndChangesNothing() {
        keyRotatedOnce();
        engine.hook.at(Step.CLAIM, 100, () -> externalWrite("key"));
        ManualRotation.Refused e = assertThrows(ManualRotation.Refused.class, () -> manual(true));
        assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
        assertEquals(1, engine.versions("key").size());
        assertEquals(SecretVersion.State.ENABLED, engine.versions("key").getFirst().getState());
    }

    @Test
    void theSupersededVersionIsDisabledWhenGraceEndsWithTheDefaultKeepEnabled() {
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run();
        assertEquals(SecretVersion.State.ENABLED, engine.versions("db").get(1).getState(), "within its hour of grace");
        engine.env.clock.advance(Duration.ofMinutes(61));
        engine.run();
        assertEquals(SecretVersion.State.DISABLED, engine.versions("db").get(1).getState(),
                "grace is how long a superseded version stays enabled, not until the next rotation");
    }

    @Test
    void aCrashBeforeRetirementIsFinishedByTheNextRun() {
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.grace", "PT0S",
                "rotor.keep-enabled", "1"));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.hook.crashAt(Step.RETIRE);
        assertThrows(CrashHook.Crash.class, engine::run);
        engine.hook.crashAt(null);
        RotationState s = engine.state("db");
        assertFalse(s.retireAt().isAfter(engine.env.clock.instant()), "the commit records retirement as due: " + s);
        engine.run();
        assertEquals(SecretVersion.State.DISABLED, engine.versions("db").get(1).getState());
    }

    @Test
    void anUpdateSecretRefusedForAnotherReasonIsAFailureNotALock() {
        engine.declare("db", Map.of("rotor.kind", "generated"));
        engine.env.emulator.faults().fail("UpdateSecret", Status.Code.FAILED_PRECONDITION, Faults.When.BEFORE, 1);
        RunReport r = engine.run();
        assertEquals(1, r.summary().failed(), r.toString());
        assertTrue(r.secrets().getFirst().error().contains("not a concurrent write"), r.secrets().getFirst().error());
        assertEquals(1, engine.run().summary().rotated(), "the next run goes ahead");
    }

    @Test
    void anEtagThatMovedOnIsStillALostRace() {
        engine.declare("db", Map.of("rotor.kind", "generated"));
        engine.hook.at(Step.CLAIM, 1, () -> externalWrite("db"));
        RunReport r = engine.run();
        assertEquals(1, r.summary().skipped(), r.toString());
    }
}
