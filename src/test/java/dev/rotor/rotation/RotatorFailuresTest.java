package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.ByteString;
import dev.rotor.local.faults.Faults;
import dev.rotor.policy.RotationState;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link Rotator} reports and leaves when a step after the commit goes wrong: a retirement refused by
 * Secret Manager, and the final write of the outcome losing to another writer or failing outright.
 */
class RotatorFailuresTest {
    private final RotatorFixture f = new RotatorFixture();
    private final Engine engine = f.engine;

    @AfterEach
    void close() {
        f.close();
    }

    /** Superseded versions are disabled at once, so every second rotation has something to retire. */
    private static Map<String, String> retiringAtOnce(String... consumers) {
        return consumers.length == 0
                ? Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.grace", "PT0S",
                "rotor.keep-enabled", "1")
                : Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.grace", "PT0S",
                "rotor.keep-enabled", "1", "rotor.consumers", String.join(",", consumers));
    }

    private void rotatedOnceAndDue(String secret, Map<String, String> policy) {
        engine.declare(secret, policy);
        assertEquals(SecretResult.ROTATED, f.run(secret).outcome());
        f.advance(Duration.ofDays(2));
    }

    @Test
    void aRefusedRetirementAfterConsumersRolledIsAFailureThatGivesTheLeaseBackForTheNextRun() {
        rotatedOnceAndDue("db", retiringAtOnce(f.service("api")));
        engine.env.emulator.faults().fail("DisableSecretVersion", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1);
        SecretResult r = f.run("db");
        assertEquals(SecretResult.FAILED, r.outcome(), r.toString());
        assertTrue(r.error().startsWith("version 2 is current, but retiring versions [1][] failed: "), r.error());
        assertTrue(r.error().endsWith("; they stay as they were and the next run retries"), r.error());
        RotationState s = f.state("db");
        assertNull(s.leaseHolder(), "the lease is given back, not left to expire: " + s);
        assertEquals(RotationState.Phase.IDLE, s.phase(), "the consumer rolled");
        assertTrue(s.lastOutcome().startsWith("failed: version 2 is current, but retiring"), s.lastOutcome());
        assertEquals(SecretVersion.State.ENABLED, f.versionState("db", 1));
        f.run("db");
        assertEquals(SecretVersion.State.DISABLED, f.versionState("db", 1), "the next run retires it");
    }

    @Test
    void aFinalWriteThatFailsAfterARefusedRetirementKeepsTheRetirementError() {
        rotatedOnceAndDue("db", retiringAtOnce());
        engine.env.emulator.faults().fail("DisableSecretVersion", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1);
        engine.hook.at(Step.RETIRE, 1, () -> engine.env.emulator.faults()
                .fail("UpdateSecret", Status.Code.FAILED_PRECONDITION, Faults.When.BEFORE, 1));
        SecretResult r = f.run("db");
        assertEquals(SecretResult.FAILED, r.outcome(), r.toString());
        assertTrue(r.error().startsWith("version 2 is current, but retiring versions [1][] failed: "), r.error());
        assertEquals(2L, r.toVersion());
    }

    @Test
    void aFinalWriteThatFailsWhenAllElseWentWellIsAFailureNamingTheCommittedVersion() {
        rotatedOnceAndDue("db", retiringAtOnce());
        engine.hook.at(Step.RETIRE, 1, () -> engine.env.emulator.faults()
                .fail("UpdateSecret", Status.Code.FAILED_PRECONDITION, Faults.When.BEFORE, 1));
        SecretResult r = f.run("db");
        assertEquals(SecretResult.FAILED, r.outcome(), r.toString());
        assertTrue(r.error().startsWith("UpdateSecret " + Engine.name("db") + " failed: FAILED_PRECONDITION"), r.error());
        assertTrue(r.error().endsWith("; version 2 is committed as current"), r.error());
        assertEquals(2L, f.state("db").current());
    }

    @Test
    void aVersionFoundAfterAnInterruptedAttemptThatIsNoEnvelopeIsRefusedWithItsReason() {
        engine.env.emulator.kms().createKeyRing("projects/demo-project/locations/global", "rotor");
        engine.env.emulator.kms().createCryptoKey("projects/demo-project/locations/global/keyRings/rotor", "secrets");
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.encryption", "envelope:" + EncryptionTest.KEY));
        engine.runCrashingAt(Step.PUBLISH); // claimed, nothing added
        engine.client.addSecretVersion(Engine.name("db"), SecretPayload.newBuilder()
                .setData(ByteString.copyFromUtf8("plain")).build()); // someone else's, not an envelope
        f.advance(Duration.ofHours(1));
        SecretResult r = f.run("db");
        assertEquals(SecretResult.FAILED, r.outcome(), r.toString());
        assertEquals("the payload is not a Rotor envelope; nothing was published, current stays none", r.error());
        assertNull(f.state("db").leaseHolder(), "the failure is recorded and the lease given back");
    }

    @Test
    void aFinalWriteLostWhileTheLeaseIsStillOursIsWrittenAgainOnAFreshRead() {
        rotatedOnceAndDue("db", retiringAtOnce());
        engine.hook.at(Step.RETIRE, 1, () -> f.externalWrite("db", "team", "payments"));
        SecretResult r = f.manual("db", true); // a revoke keeps the lease past the commit
        assertEquals(SecretResult.ROTATED, r.outcome(), r.toString());
        RotationState s = f.state("db");
        assertNull(s.leaseHolder(), "released on the fresh read: " + s);
        assertEquals(RotationState.Phase.IDLE, s.phase());
        assertEquals("payments", f.annotation("db", "team"), "the other writer's change stays");
        assertEquals(SecretVersion.State.DISABLED, f.versionState("db", 1));
    }

    @Test
    void aFinalWriteLostAfterTheLeaseWentBackWhileTheCommitStandsIsStillARotation() {
        rotatedOnceAndDue("db", retiringAtOnce());
        engine.hook.at(Step.RETIRE, 1, () -> f.externalWrite("db", "team", "payments"));
        SecretResult r = f.run("db");
        assertEquals(SecretResult.ROTATED, r.outcome(), r.toString());
        assertEquals(2L, f.state("db").current());
        assertEquals("payments", f.annotation("db", "team"));
    }

    @Test
    void aFinalWriteLostToARotationThatReplacedThisCommitIsAFailure() {
        rotatedOnceAndDue("db", retiringAtOnce());
        engine.hook.at(Step.RETIRE, 1, () -> assertEquals(SecretResult.ROTATED, f.manual("db", false).outcome()));
        SecretResult r = f.run("db");
        assertEquals(SecretResult.FAILED, r.outcome(), r.toString());
        assertTrue(r.error().endsWith("; version 2 is committed as current"), r.error());
        assertEquals(3L, f.state("db").current(), "the later rotation's commit is left alone");
    }
}
