package dev.rotor.rotation;

import ch.qos.logback.classic.Level;
import dev.rotor.credential.ServiceAccountKeys;
import dev.rotor.local.faults.Faults;
import dev.rotor.policy.Declaration;
import dev.rotor.policy.Policy;
import dev.rotor.policy.PolicyParser;
import dev.rotor.policy.RetirePlan;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import dev.rotor.secret.VersionInfo;
import dev.rotor.testing.CapturedLog;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Retirement#execute} alone on one emulated Rotor: a retired version's key is disabled, a revoked or
 * destroyed one's deleted, a key the current version shares is never touched, and a secret with a
 * {@code version_destroy_ttl} has its retired versions scheduled for destruction unless keys or a revoke
 * need them disabled.
 */
class RetirementTest {
    private static Engine engine;
    private static SecretStore store;
    private static ServiceAccountKeys keys;
    private static Retirement retirement;
    private static int secrets;

    @BeforeAll
    static void start() {
        engine = new Engine();
        store = engine.env.bean(SecretStore.class);
        keys = engine.env.bean(ServiceAccountKeys.class);
        retirement = new Retirement(store, engine.env.bean(Strategies.class));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private record Fixture(ManagedSecret secret, Policy policy, String sa, Map<String, String> keyIds) {
    }

    /** A secret with versions 1-3, each holding a key of a fresh account for key kinds. */
    private static Fixture fixture(String kind, long destroyTtlSeconds) {
        String id = "ret" + (++secrets);
        String sa = engine.account("ret" + secrets);
        Map<String, String> a = Map.of("rotor.kind", kind, "rotor.service-account", sa);
        engine.declare(id, a, destroyTtlSeconds);
        SecretRef ref = new SecretRef(Engine.PROJECT, id);
        Map<String, String> keyIds = new HashMap<>();
        for (long v = 1; v <= 3; v++) {
            store.addVersion(ref, ("v" + v).getBytes(StandardCharsets.UTF_8));
            keyIds.put(Long.toString(v), keys.create(sa).id());
        }
        return new Fixture(store.get(ref), ((Declaration.Valid) PolicyParser.parse(a)).policy(), sa, keyIds);
    }

    private static VersionInfo.State state(Fixture f, long v) {
        return store.version(f.secret().ref(), v).orElseThrow().state();
    }

    private static Optional<ServiceAccountKeys.KeyInfo> key(Fixture f, long v) {
        return keys.get(f.sa(), f.keyIds().get(Long.toString(v)));
    }

    /** The lines Retirement logs while {@code what} runs: the record an operator reads of what was done. */
    private static List<String> logged(Runnable what) {
        try (CapturedLog log = CapturedLog.of(Retirement.class, Level.INFO)) { // the tests' root level is WARN
            what.run();
            return log.messages();
        }
    }

    private static RetirePlan plan(List<Long> disable, List<Long> destroy) {
        return new RetirePlan(disable, destroy, Optional.empty());
    }

    @Test
    void aRetiredKeyVersionHasItsKeyDisabledAndADestroyedOneItsKeyDeleted() {
        Fixture f = fixture("service-account-key", 3600);
        List<String> lines = logged(() -> retirement.execute(f.secret(), plan(List.of(2L), List.of(1L)), false,
                f.policy(), f.keyIds(), 3));
        assertEquals(List.of("retired version 2 of " + f.secret().ref() + " and disabled key " + f.keyIds().get("2"),
                "destroyed version 1 of " + f.secret().ref() + " and deleted key " + f.keyIds().get("1")), lines);
        assertEquals(VersionInfo.State.DISABLED, state(f, 2));
        assertTrue(store.version(f.secret().ref(), 2).orElseThrow().scheduledDestroy().isEmpty(),
                "key kinds never schedule destruction on retirement: the key must be deleted when the version goes");
        assertTrue(key(f, 2).orElseThrow().disabled());
        assertTrue(store.version(f.secret().ref(), 1).orElseThrow().scheduledDestroy().isPresent(),
                "destroyed, after the secret's TTL (gcp-api-facts §1.2)");
        assertTrue(key(f, 1).isEmpty(), "deleted");
        assertFalse(key(f, 3).orElseThrow().disabled(), "current");
    }

    @Test
    void aRevokeDeletesTheKeysOfTheVersionsItDisables() {
        Fixture f = fixture("service-account-key", 0);
        List<String> lines = logged(() -> retirement.execute(f.secret(), plan(List.of(1L, 2L), List.of()), true,
                f.policy(), f.keyIds(), 3));
        assertEquals("retired version 1 of " + f.secret().ref() + " and deleted key " + f.keyIds().get("1"),
                lines.getFirst(), "the log says the key is gone, not merely disabled");
        assertEquals(VersionInfo.State.DISABLED, state(f, 1));
        assertEquals(VersionInfo.State.DISABLED, state(f, 2));
        assertTrue(key(f, 1).isEmpty() && key(f, 2).isEmpty(), "a disabled key could be enabled again; a deleted one not");
    }

    @Test
    void aKeyTheCurrentVersionAlsoHoldsIsNeverTouched() {
        Fixture f = fixture("service-account-key", 0);
        Map<String, String> rolledBack = new HashMap<>(f.keyIds());
        rolledBack.put("3", f.keyIds().get("1")); // version 3 re-added version 1's payload
        retirement.execute(f.secret(), plan(List.of(1L), List.of()), true, f.policy(), rolledBack, 3);
        retirement.execute(f.secret(), plan(List.of(), List.of(1L)), false, f.policy(), rolledBack, 3);
        assertEquals(VersionInfo.State.DESTROYED, state(f, 1));
        assertFalse(key(f, 1).orElseThrow().disabled(), "the key in use by the current version stays enabled");
    }

    @Test
    void withADestroyTtlAValueKindSchedulesDestructionUnlessRevoked() {
        Fixture f = fixture("generated", 3600);
        assertEquals(List.of("retired version 1 of " + f.secret().ref() + " (destruction scheduled)"),
                logged(() -> retirement.execute(f.secret(), plan(List.of(1L), List.of()), false, f.policy(), Map.of(), 3)),
                "a version with no key: nothing said of a key");
        assertEquals(VersionInfo.State.DISABLED, state(f, 1));
        assertTrue(store.version(f.secret().ref(), 1).orElseThrow().scheduledDestroy().isPresent(),
                "one DestroySecretVersion disables now and destroys after the TTL");
        retirement.execute(f.secret(), plan(List.of(2L), List.of()), true, f.policy(), Map.of(), 3);
        assertEquals(VersionInfo.State.DISABLED, state(f, 2));
        assertTrue(store.version(f.secret().ref(), 2).orElseThrow().scheduledDestroy().isEmpty(),
                "a revoked version is kept for forensics until retain");
    }

    @Test
    void withoutADestroyTtlARetiredVersionIsDisabledOnly() {
        Fixture f = fixture("generated", 0);
        retirement.execute(f.secret(), plan(List.of(1L), List.of()), false, f.policy(), Map.of(), 3);
        assertEquals(VersionInfo.State.DISABLED, state(f, 1));
        assertTrue(store.version(f.secret().ref(), 1).orElseThrow().scheduledDestroy().isEmpty());
    }

    /** A value secret with versions 1 and 2, 2 committed as current and 1 due for retirement at once. */
    private static Fixture retirable() {
        String id = "ret" + (++secrets);
        Map<String, String> a = Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.grace", "PT0S",
                "rotor.keep-enabled", "1");
        engine.declare(id, a);
        SecretRef ref = new SecretRef(Engine.PROJECT, id);
        store.addVersion(ref, "v1".getBytes(StandardCharsets.UTF_8));
        store.addVersion(ref, "v2".getBytes(StandardCharsets.UTF_8));
        return new Fixture(store.get(ref), ((Declaration.Valid) PolicyParser.parse(a)).policy(), null, Map.of());
    }

    private static RotationState committedAt2(Instant now) {
        return RotationState.NEW.committed(2, now, null, Map.of(), RotationState.Phase.IDLE, now);
    }

    @Test
    void retirementAloneThatFailsReportsTheStateItLeftAndRetiresNothing() {
        Fixture f = retirable();
        Instant now = engine.env.clock.instant();
        engine.env.emulator.faults().fail("DisableSecretVersion", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1);
        long before = System.nanoTime();
        SecretResult r = retirement.alone(f.secret(), f.policy(), committedAt2(now), now);
        long tookMs = (System.nanoTime() - before) / 1_000_000;
        assertEquals(List.of(SecretResult.FAILED, "retire", "generated"), List.of(r.outcome(), r.action(), r.kind()));
        assertEquals(List.of(2L, 2L), List.of(r.fromVersion(), r.toVersion()));
        assertTrue(r.error().endsWith("; current stays 2 and nothing newer was retired"), r.error());
        assertEquals(VersionInfo.State.ENABLED, state(f, 1));
        // what the result reports is the call's own duration: never more than the time around the call
        assertTrue(r.durationMs() >= 0 && r.durationMs() <= tookMs, r.durationMs() + " ms of " + tookMs);
    }

    @Test
    void retirementAloneRetiresWhatIsDueAndReportsItsOwnDuration() {
        Fixture f = retirable();
        Instant now = engine.env.clock.instant();
        long before = System.nanoTime();
        SecretResult r = retirement.alone(f.secret(), f.policy(), committedAt2(now), now);
        long tookMs = (System.nanoTime() - before) / 1_000_000;
        assertEquals(SecretResult.RETIRED, r.outcome());
        assertEquals(null, r.error());
        assertEquals(VersionInfo.State.DISABLED, state(f, 1));
        assertTrue(r.durationMs() >= 0 && r.durationMs() <= tookMs, r.durationMs() + " ms of " + tookMs);
    }
}
