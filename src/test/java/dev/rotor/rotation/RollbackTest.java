package dev.rotor.rotation;

import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.secretmanager.v1.SecretVersion;
import dev.rotor.credential.ServiceAccountKeys;
import dev.rotor.local.faults.Faults;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.SecretRef;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code :rollback} (issue 11): the previous credential current again, consumers following, every refusal. */
class RollbackTest {
    private static final String SERVICE = ConsumersTest.PARENT + "/services/api";
    private final Engine engine = new Engine(Map.of("rotor.roll.check-every", "5ms"));

    @AfterEach
    void close() {
        engine.close();
    }

    private SecretResult rollBack(String id) {
        return engine.env.bean(Rollback.class).rollBack(new SecretRef(Engine.PROJECT, id),
                "operator@demo-project.iam.gserviceaccount.com", "version 2 broke the payments API");
    }

    private String refusal(String id) {
        return assertThrows(ManualRotation.Refused.class, () -> rollBack(id)).getMessage();
    }

    private String pinned() {
        return engine.env.bean(ServicesClient.class).getService(SERVICE).getTemplate().getContainers(0).getEnv(0)
                .getValueSource().getSecretKeyRef().getVersion();
    }

    @Test
    void thePreviousCredentialBecomesCurrentAgainAndConsumersRollToIt() {
        ConsumersTest.service(engine, "api", "1", false);
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D",
                "rotor.consumers", "run:" + SERVICE));
        engine.run();
        String first = engine.access("db", "1");
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run();
        assertEquals("2", pinned());
        long before = System.nanoTime();
        SecretResult r = rollBack("db");
        long took = System.nanoTime() - before;
        assertEquals(SecretResult.ROLLED_BACK, r.outcome(), r.toString());
        assertTrue(r.durationMs() >= 0 && r.durationMs() * 1_000_000 <= took,
                r.durationMs() + " ms reported for a call that took " + took + " ns");
        assertEquals(2L, r.fromVersion());
        assertEquals(3L, r.toVersion());
        assertEquals(first, engine.access("db", "current"), "the credential of version 1");
        assertEquals(first, engine.access("db", "latest"), "latest is the rolled-back credential, never a disabled one");
        assertEquals("3", pinned(), "the consumer rolled to it");
        assertEquals(SecretVersion.State.DISABLED, engine.versions("db").get(1).getState(), "version 2 is disabled");
        RotationState s = engine.state("db");
        assertEquals(RotationState.Phase.IDLE, s.phase());
        assertEquals("operator@demo-project.iam.gserviceaccount.com", s.requestedBy());
        assertEquals(Map.of("run:" + SERVICE, 3L), s.rolled(), "the record says the consumer serves version 3");
        assertEquals(0, engine.run().summary().rotated(), "the schedule restarts from the rollback");
    }

    /** A service-account key secret rotated once, due daily, with an hour of grace; returns the account. */
    private String dailyKey() {
        String sa = engine.account("app");
        engine.declare("key", Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa,
                "rotor.rotate-every", "P1D", "rotor.grace", "PT1H"));
        engine.run();
        return sa;
    }

    @Test
    void aKeyRollBackKeepsTheKeyWithTheVersionNowCurrent() {
        String sa = dailyKey();
        String oldKey = engine.state("key").keyIds().get("1");
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run();
        String newKey = engine.state("key").keyIds().get("2");
        assertEquals(SecretResult.ROLLED_BACK, rollBack("key").outcome());
        assertEquals(oldKey, engine.state("key").keyIds().get("3"));
        engine.env.clock.advance(Duration.ofHours(2));
        engine.run(); // retires version 1, whose key now belongs to version 3
        assertEquals(SecretVersion.State.DISABLED, engine.versions("key").get(2).getState());
        var keys = engine.env.bean(ServiceAccountKeys.class).userManaged(sa);
        assertTrue(keys.stream().anyMatch(k -> k.id().equals(oldKey) && !k.disabled()), keys.toString());
        assertTrue(keys.stream().anyMatch(k -> k.id().equals(newKey) && k.disabled()), keys.toString());
    }

    /** An operator's rotation of {@code id} a minute after the last run, while every list lags by an hour. */
    private static SecretResult rotateAMinuteLater(Engine lagging, String id) {
        lagging.env.clock.advance(Duration.ofMinutes(1));
        return lagging.env.bean(ManualRotation.class).rotate(new SecretRef(Engine.PROJECT, id),
                "operator@demo-project.iam.gserviceaccount.com", "drill", false);
    }

    private static SecretResult rollBack(Engine lagging, String id) {
        return lagging.env.bean(Rollback.class).rollBack(new SecretRef(Engine.PROJECT, id),
                "operator@demo-project.iam.gserviceaccount.com", "version 2 broke the payments API");
    }

    @Test
    void aPreviousVersionAddedMomentsAgoIsFoundWhileTheListingLags() {
        try (Engine lagging = new Engine(Map.of("rotor.emulator.list-lag", "PT1H"))) {
            lagging.declare("db", Map.of("rotor.kind", "generated"));
            lagging.run();
            assertEquals(2L, rotateAMinuteLater(lagging, "db").toVersion());
            assertTrue(lagging.versions("db").isEmpty(), "neither version is listed yet");
            SecretResult r = rollBack(lagging, "db");
            assertEquals(SecretResult.ROLLED_BACK, r.outcome(), r.toString());
            assertEquals(lagging.access("db", "1"), lagging.access("db", "current"));
        }
    }

    @Test
    void aPreviousKeyCreatedMomentsAgoIsFoundWhileTheKeyListingLags() {
        try (Engine lagging = new Engine(Map.of("rotor.emulator.list-lag", "PT1H"))) {
            String sa = lagging.account("app");
            lagging.declare("key", Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa));
            lagging.run();
            String oldKey = lagging.state("key").keyIds().get("1");
            assertEquals(2L, rotateAMinuteLater(lagging, "key").toVersion());
            assertTrue(lagging.env.bean(ServiceAccountKeys.class).userManaged(sa).isEmpty(), "no key is listed yet");
            SecretResult r = rollBack(lagging, "key");
            assertEquals(SecretResult.ROLLED_BACK, r.outcome(), r.toString());
            assertEquals(oldKey, lagging.state("key").keyIds().get("3"));
        }
    }

    @Test
    void aConsumerThatDoesNotRollLeavesTheRollbackFailedWithTheVersionRolledBackFromEnabled() {
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D",
                "rotor.consumers", "run:" + ConsumersTest.PARENT + "/services/missing"));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run();
        ch.qos.logback.classic.Logger audit = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("dev.rotor.audit");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> audited =
                new ch.qos.logback.core.read.ListAppender<>();
        audited.start();
        audit.addAppender(audited);
        SecretResult r;
        try {
            r = rollBack("db");
        } finally {
            audit.detachAppender(audited);
        }
        assertEquals(SecretResult.FAILED, r.outcome(), r.toString());
        assertTrue(audited.list.getLast().getFormattedMessage().endsWith("version 3 is current (" + r.error() + ")"),
                "the audit trail says what the rollback left: " + audited.list.getLast().getFormattedMessage());
        assertTrue(r.error().contains("version 3 holds the credential of version 1 and is current"), r.error());
        assertTrue(r.error().contains("version 2 stays enabled"), r.error());
        assertEquals(3L, engine.aliases("db").get("current"));
        assertEquals(SecretVersion.State.ENABLED, engine.versions("db").get(1).getState(), "version 2 stays enabled");
        RotationState s = engine.state("db");
        assertEquals(RotationState.Phase.ROLLING, s.phase(), "the next run retries the roll");
        assertTrue(s.lastOutcome().startsWith("failed: "), s.lastOutcome());
    }

    @Test
    void aRollbackWhoseReadBackFailsCommitsNothing() {
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run();
        engine.env.emulator.faults().resetCounts();
        // the first access reads the previous version, the second reads back the version just added
        engine.env.emulator.faults().failOccurrence("AccessSecretVersion", 2, Status.Code.PERMISSION_DENIED,
                Faults.When.BEFORE);
        assertThrows(RuntimeException.class, () -> rollBack("db"));
        assertEquals(2L, engine.aliases("db").get("current"), "an unverified version is never made current");
        assertEquals(2L, engine.state("db").current());
    }

    @Test
    void refusedWhenThePreviousKeyWasDeleted() {
        String sa = dailyKey();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run();
        String oldKey = engine.state("key").keyIds().get("1");
        engine.env.bean(ServiceAccountKeys.class).delete(sa, oldKey);
        String refusal = refusal("key");
        assertTrue(refusal.contains("the key " + oldKey + " in previous version 1") && refusal.contains("no longer exists"),
                refusal);
        assertEquals(2L, engine.aliases("key").get("current"));
        assertEquals(2, engine.versions("key").size(), "nothing was added");
    }

    @Test
    void refusedWithoutAPreviousVersion() {
        engine.declare("db", Map.of("rotor.kind", "generated"));
        engine.run();
        assertTrue(refusal("db").contains("no previous version"));
        assertEquals(1, engine.versions("db").size(), "nothing changed");
    }

    @Test
    void refusedWhenThePreviousVersionIsDisabled() {
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.grace", "PT0S",
                "rotor.keep-enabled", "1"));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run();
        assertTrue(refusal("db").contains("is DISABLED"));
        assertEquals(2, engine.versions("db").size());
    }

    @Test
    void refusedWhenThePreviousTokenExpired() {
        engine.account("app");
        engine.declare("tok", Map.of("rotor.kind", "id-token", "rotor.service-account",
                "app@demo-project.iam.gserviceaccount.com", "rotor.audience", "https://backend.example"));
        engine.run();
        engine.env.clock.advance(Duration.ofMinutes(50));
        engine.run();
        engine.env.clock.advance(Duration.ofMinutes(15)); // version 1's token expired; no run has retired it yet
        assertTrue(refusal("tok").contains("expired"), refusal("tok"));
    }

    @Test
    void refusedWhenThePreviousKeyIsDisabled() {
        String sa = dailyKey();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run();
        engine.env.bean(ServiceAccountKeys.class).disable(sa, engine.state("key").keyIds().get("1"));
        assertTrue(refusal("key").contains("is disabled"), refusal("key"));
        assertEquals(2L, engine.aliases("key").get("current"));
    }

    @Test
    void refusedWhileARotationIsInProgress() {
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.hook.crashAt(Step.MINT);
        assertThrows(CrashHook.Crash.class, engine::run);
        engine.hook.crashAt(null);
        assertTrue(refusal("db").contains("in progress"));
    }

    @Test
    void refusedForASecretRotorDoesNotManage() {
        engine.client.createSecret("projects/" + Engine.PROJECT, "plain", com.google.cloud.secretmanager.v1.Secret
                .newBuilder().setReplication(com.google.cloud.secretmanager.v1.Replication.newBuilder()
                        .setAutomatic(com.google.cloud.secretmanager.v1.Replication.Automatic.getDefaultInstance()))
                .build());
        assertTrue(refusal("plain").contains("not managed"));
    }
}
