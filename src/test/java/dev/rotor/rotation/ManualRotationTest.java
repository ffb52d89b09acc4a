package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import dev.rotor.local.faults.Faults;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import dev.rotor.testing.CapturedLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator's "rotate now" ({@link ManualRotation}) on one emulated Rotor: a claim lost to another writer is
 * retried on a fresh read up to {@link ManualRotation#CLAIM_ATTEMPTS} attempts in all, and the call is refused,
 * with nothing changed, while another run holds the lease, and for a secret that is not managed, misconfigured
 * or declared CMEK without a customer-managed key.
 */
class ManualRotationTest {
    private static Engine engine;
    private static ManualRotation manual;

    @BeforeAll
    static void start() {
        engine = new Engine();
        manual = engine.env.bean(ManualRotation.class);
    }

    @AfterAll
    static void stop() {
        engine.hook.at(Step.CLAIM, 0, () -> { });
        engine.close();
    }

    private static SecretRef ref(String id) {
        return new SecretRef(Engine.PROJECT, id);
    }

    private static SecretResult rotate(String id) {
        return manual.rotate(ref(id), "alice@example.com", "leaked", false);
    }

    /** Writes an annotation of its own, as a person or Terraform would, changing the secret's etag. */
    private static void externalWrite(String id) {
        engine.externalWrite(id, "team", "payments-" + System.nanoTime());
    }

    @Test
    void aClaimLostTwiceIsWonAtTheThirdAttempt() {
        engine.declare("lost-twice", Map.of("rotor.kind", "generated"));
        engine.hook.at(Step.CLAIM, ManualRotation.CLAIM_ATTEMPTS - 1, () -> externalWrite("lost-twice"));
        SecretResult r = rotate("lost-twice");
        assertEquals(SecretResult.ROTATED, r.outcome(), r.toString());
        assertEquals(1L, r.toVersion());
        assertEquals("alice@example.com", engine.state("lost-twice").requestedBy());
        assertEquals("leaked", engine.state("lost-twice").reason());
    }

    @Test
    void aClaimLostAtEveryAttemptIsRefusedAndChangesNothing() {
        engine.declare("lost-always", Map.of("rotor.kind", "generated"));
        engine.hook.at(Step.CLAIM, ManualRotation.CLAIM_ATTEMPTS, () -> externalWrite("lost-always"));
        ManualRotation.Refused e = assertThrows(ManualRotation.Refused.class, () -> rotate("lost-always"));
        assertEquals(ref("lost-always") + " kept changing while Rotor tried to claim it (3 attempts); nothing was "
                + "changed; try again", e.getMessage());
        assertEquals(0, engine.versions("lost-always").size());
        assertNull(engine.state("lost-always").current());
    }

    @Test
    void aSecretAnotherRunHoldsIsRefusedUntilItsLeaseEnds() {
        engine.declare("held", Map.of("rotor.kind", "generated"));
        SecretStore store = engine.env.bean(SecretStore.class);
        ManagedSecret s = store.get(ref("held"));
        Instant until = engine.env.clock.instant().plus(Duration.ofMinutes(10));
        StateCodec.save(store, s, RotationState.NEW.withLease("run-7", until));
        ManualRotation.Refused e = assertThrows(ManualRotation.Refused.class, () -> rotate("held"));
        assertEquals("a rotation of " + ref("held") + " is in progress (run run-7 holds it until " + until
                + "); try again after that", e.getMessage());
        assertEquals(0, engine.versions("held").size());
        engine.env.clock.advance(Duration.ofMinutes(11));
        assertEquals(SecretResult.ROTATED, rotate("held").outcome(), "the lease is over");
    }

    @Test
    void whatRotorMayNotActOnIsRefusedWithTheReason() {
        engine.client.createSecret("projects/" + Engine.PROJECT, "not-managed", Secret.newBuilder()
                .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()))
                .build());
        engine.declare("misdeclared", Map.of("rotor.kind", "nonsense"));
        engine.declare("no-cmek", Map.of("rotor.kind", "generated", "rotor.encryption", "cmek"));
        assertEquals(ref("not-managed") + " is not managed by Rotor: it lacks the label rotor=managed",
                assertThrows(ManualRotation.Refused.class, () -> rotate("not-managed")).getMessage());
        String misconfigured = assertThrows(ManualRotation.Refused.class, () -> rotate("misdeclared")).getMessage();
        assertTrue(misconfigured.startsWith(ref("misdeclared") + " is misconfigured: "), misconfigured);
        assertEquals(ref("no-cmek") + ": " + Declared.CMEK_MISSING,
                assertThrows(ManualRotation.Refused.class, () -> rotate("no-cmek")).getMessage());
        assertEquals(0, engine.versions("misdeclared").size());
        assertEquals(0, engine.versions("no-cmek").size());
    }

    @Test
    void theAuditLogSaysWhoAskedAndHowTheRotationEndedWithItsErrorWhenItFailed() {
        engine.declare("audited-ok", Map.of("rotor.kind", "generated"));
        engine.declare("audited-failed", Map.of("rotor.kind", "generated"));
        SecretResult failed;
        List<String> logged;
        try (CapturedLog audit = CapturedLog.of("dev.rotor.audit")) {
            rotate("audited-ok");
            engine.env.emulator.faults().fail("AddSecretVersion", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1);
            failed = rotate("audited-failed");
            logged = audit.messages();
        }
        assertEquals(SecretResult.FAILED, failed.outcome(), failed.toString());
        String by = " requested by alice@example.com";
        assertEquals(List.of(
                "manual rotation of " + ref("audited-ok") + by + " (revokePrevious=false): leaked",
                "manual rotation of " + ref("audited-ok") + by + ": rotated",
                "manual rotation of " + ref("audited-failed") + by + " (revokePrevious=false): leaked",
                "manual rotation of " + ref("audited-failed") + by + ": failed (" + failed.error() + ")"), logged);
    }
}
