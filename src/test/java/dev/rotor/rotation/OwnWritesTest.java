package dev.rotor.rotation;

import ch.qos.logback.classic.Level;
import dev.rotor.error.RemoteException;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import dev.rotor.testing.CapturedLog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the listing shows of a secret this instance wrote: its own write until Secret Manager's eventually
 * consistent list catches up (the same etag) or shows a later rotation (a higher current version), and the
 * listing from then on, even when a later list lags again. Pure: secrets built as records; but for the last
 * test, of the {@link OwnWrites.Recorder} behind the {@link SecretStore} bean on one emulated Rotor.
 */
class OwnWritesTest {
    private static final SecretRef REF = new SecretRef("demo-project", "db");
    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

    /** The secret as a list or a write returns it: the state names {@code current}, the etag the write. */
    private static ManagedSecret secret(String etag, Long current) {
        RotationState state = current == null ? RotationState.NEW
                : RotationState.NEW.committed(current, NOW, null, Map.of(), RotationState.Phase.IDLE, null);
        return new ManagedSecret(REF, StateCodec.write(Map.of("rotor.kind", "generated"), state), Map.of(), etag,
                NOW, Optional.empty(), Duration.ZERO, true);
    }

    @Test
    void aSecretThisInstanceNeverWroteIsShownAsListed() {
        OwnWrites writes = new OwnWrites();
        ManagedSecret listed = secret("e1", 1L);
        assertFalse(writes.any());
        assertSame(listed, writes.fresher(listed));
    }

    @Test
    void itsOwnWriteIsShownWhileTheListLagsBehindIt() {
        OwnWrites writes = new OwnWrites();
        ManagedSecret written = secret("e2", 2L);
        writes.record(written);
        assertTrue(writes.any());
        assertSame(written, writes.fresher(secret("e1", 1L)), "the list still shows the version before");
        assertSame(written, writes.fresher(secret("e1b", 2L)),
                "the same current under another etag is not newer: the own write stays");
        assertSame(written, writes.fresher(secret("e0", null)), "a list from before the first rotation");
    }

    @Test
    void theListingTakesOverOnceItShowsTheSameEtagAndTheOwnWriteIsForgotten() {
        OwnWrites writes = new OwnWrites();
        writes.record(secret("e2", 2L));
        ManagedSecret caughtUp = secret("e2", 2L);
        assertSame(caughtUp, writes.fresher(caughtUp));
        assertFalse(writes.any(), "a write the list has caught up with is forgotten");
        ManagedSecret lagging = secret("e1", 1L);
        assertSame(lagging, writes.fresher(lagging), "once forgotten, a lagging list is shown as it is");
    }

    @Test
    void aLaterRotationByAnotherWriterShowsAsListed() {
        OwnWrites writes = new OwnWrites();
        writes.record(secret("e2", 2L));
        ManagedSecret newer = secret("e3", 3L);
        assertSame(newer, writes.fresher(newer));
        assertFalse(writes.any());
    }

    @Test
    void eachSecretIsRememberedOnItsOwn() {
        OwnWrites writes = new OwnWrites();
        writes.record(secret("e2", 2L));
        SecretRef other = new SecretRef("demo-project", "other");
        ManagedSecret listedOther = new ManagedSecret(other, Map.of("rotor.kind", "generated"), Map.of(), "x", NOW,
                Optional.empty(), Duration.ZERO, true);
        assertSame(listedOther, writes.fresher(listedOther));
        assertTrue(writes.any(), "the write of db is still remembered");
    }

    @Test
    void theStoreBeanRemembersAndLogsEachSuccessfulUpdateAndNothingElse() {
        try (Engine e = new Engine()) {
            e.declare("recorded", Map.of("rotor.kind", "generated"));
            SecretStore store = e.env.bean(SecretStore.class);
            OwnWrites writes = e.env.bean(OwnWrites.class);
            ManagedSecret listed = store.get(new SecretRef(Engine.PROJECT, "recorded"));
            ManagedSecret written;
            List<String> logged;
            try (CapturedLog log = CapturedLog.of(StateLog.LOGGER, Level.INFO)) { // the tests' root level is WARN
                written = StateCodec.save(store, listed, RotationState.NEW.withLease("run-1", NOW));
                assertThrows(RemoteException.Conflict.class, () -> StateCodec.save(store, listed, RotationState.NEW),
                        "the etag is stale now");
                logged = log.messages();
            }
            assertSame(written, writes.fresher(listed), "the successful update is what the listing shows");
            assertEquals(List.of("state of " + listed.ref() + ": IDLE, current null"),
                    logged, "one entry, for the write that took");
        }
    }
}
