package dev.rotor.rotation;

import dev.rotor.credential.ServiceAccountKeys;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Service-account keys through {@link Rotator}: which versions' key ids the commit keeps in the state, a new
 * key that never works, and the write-ahead record of keys made and never published.
 */
class RotatorKeysTest {
    private final RotatorFixture f = new RotatorFixture();
    private final Engine engine = f.engine;
    private final String sa = engine.account("app");
    private final ServiceAccountKeys keys = engine.env.bean(ServiceAccountKeys.class);

    @AfterEach
    void close() {
        f.close();
    }

    /** Superseded versions are disabled at once (their keys disabled) and destroyed a day later. */
    private Map<String, String> keyPolicy() {
        return Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa, "rotor.rotate-every", "P1D",
                "rotor.grace", "PT0S", "rotor.keep-enabled", "1", "rotor.retain", "P1D");
    }

    private List<String> keyIds() {
        return keys.userManaged(sa).stream().map(ServiceAccountKeys.KeyInfo::id).toList();
    }

    private void rotate() {
        f.advance(Duration.ofHours(25));
        SecretResult r = f.run("key");
        assertEquals(SecretResult.ROTATED, r.outcome(), r.toString());
    }

    @Test
    void theCommitKeepsTheKeyIdsOfDisabledVersionsWhoseKeysExistAndDropsThoseWhoseKeysAreGone() {
        engine.declare("key", Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa,
                "rotor.rotate-every", "P1D", "rotor.grace", "PT0S", "rotor.keep-enabled", "1", "rotor.retain", "P30D"));
        assertEquals(SecretResult.ROTATED, f.run("key").outcome());
        rotate(); // version 1 disabled, its key disabled
        keys.delete(sa, f.state("key").keyIds().get("1")); // by someone else
        rotate(); // version 2 disabled, its key disabled but still there
        rotate();
        assertEquals(Set.of("2", "3", "4"), f.state("key").keyIds().keySet(), f.state("key").toString());
    }

    @Test
    void aDestroyedVersionsKeyIdIsDroppedWhenAnInterruptedAttemptsVersionIsAdopted() {
        engine.declare("key", keyPolicy());
        assertEquals(SecretResult.ROTATED, f.run("key").outcome());
        rotate(); // version 1 disabled
        f.advance(Duration.ofDays(2));
        rotate(); // version 3; then version 1 is destroyed, its key deleted
        assertTrue(f.state("key").keyIds().containsKey("1"), "recorded at the commit, before retirement");
        f.advance(Duration.ofHours(25));
        engine.runCrashingAt(Step.COMMIT); // version 4 added, not committed
        f.advance(Duration.ofHours(1));
        SecretResult r = f.run("key"); // adopts version 4: nothing listed the account's keys
        assertEquals(4L, r.toVersion(), r.toString());
        assertFalse(f.state("key").keyIds().containsKey("1"), f.state("key").toString());
    }

    @Test
    void aNewKeyThatNeverWorksIsDeletedAndNothingIsPublished() {
        engine.env.emulator.iam().keyPropagation(Duration.ofHours(1));
        engine.declare("key", keyPolicy());
        SecretResult r = f.run("key");
        assertEquals(SecretResult.FAILED, r.outcome());
        assertTrue(r.error().endsWith("; it is deleted; nothing was published, current stays none"), r.error());
        assertEquals(List.of(), keyIds());
        assertEquals(List.of(), engine.versions("key"));
    }

    @Test
    void aKeyAnInterruptedAttemptMadeAndNeverPublishedIsDeletedBeforeTheNextMint() {
        engine.declare("key", keyPolicy());
        engine.runCrashingAt(Step.PUBLISH); // its key made and recorded, no version added
        String unpublished = f.state("key").pendingKeys().getFirst();
        f.advance(Duration.ofHours(1));
        SecretResult r = f.run("key");
        assertEquals(SecretResult.ROTATED, r.outcome(), r.toString());
        assertFalse(keyIds().contains(unpublished), "its private half is in no version");
        assertEquals(List.of(f.state("key").keyIds().get("1")), keyIds());
        assertEquals(List.of(), f.state("key").pendingKeys(), "the deleted key is no longer recorded as pending");
    }

    @Test
    void anUnpublishedKeyInTheWriteAheadRecordIsDeletedWhenALandedVersionIsAdopted() {
        engine.declare("key", keyPolicy());
        engine.runCrashingAt(Step.COMMIT); // version 1 and its key added, not committed
        // the record also names a key some earlier attempt made and never published
        String orphan = keys.create(sa).id();
        SecretStore store = engine.env.bean(SecretStore.class);
        ManagedSecret s = store.get(new SecretRef(Engine.PROJECT, "key"));
        RotationState recorded = StateCodec.read(s);
        List<String> pending = new ArrayList<>(recorded.pendingKeys());
        pending.add(orphan);
        StateCodec.save(store, s, recorded.withPendingKeys(pending));
        f.advance(Duration.ofHours(1));
        SecretResult r = f.run("key");
        assertEquals(1L, r.toVersion(), r.toString());
        assertFalse(keyIds().contains(orphan), "deleted: its private half is in no version");
        assertEquals(List.of(f.state("key").keyIds().get("1")), keyIds());
        assertEquals(List.of(), f.state("key").pendingKeys());
    }
}
