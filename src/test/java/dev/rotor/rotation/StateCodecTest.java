package dev.rotor.rotation;

import dev.rotor.policy.PolicyParser;
import dev.rotor.policy.RotationState;
import dev.rotor.policy.RotationState.Phase;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state's encoding, its fence and its bound, as pure functions (the writers are in ExternalWriterTest). */
class StateCodecTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Map<String, String> POLICY = Map.of("rotor.kind", "service-account-key",
            "rotor.service-account", "app@p.iam.gserviceaccount.com");
    private static final String KEY1 = "a".repeat(40);
    private static final String KEY2 = "b".repeat(40);

    /** Version 1 is current and idle, as an earlier refresh saw it. */
    private static final RotationState IDLE_ON_1 = RotationState.NEW
            .claimed("run-1", "attempt-1", T0, T0.plusSeconds(600))
            .committed(1, T0, null, Map.of("1", KEY1), Phase.IDLE, null);

    /** Version 2 committed, consumers still rolling under a lease. */
    private static final RotationState ROLLING_ON_2 = IDLE_ON_1
            .claimed("run-2", "attempt-2", T0.plus(1, ChronoUnit.DAYS), T0.plus(1, ChronoUnit.DAYS).plusSeconds(600))
            .committed(2, T0.plus(1, ChronoUnit.DAYS), null, Map.of("1", KEY1, "2", KEY2), Phase.ROLLING, null);

    @Test
    void readsBackWhatItWroteWithItsFence() {
        Map<String, String> annotations = StateCodec.write(POLICY, ROLLING_ON_2);
        Map<String, Long> aliases = StateCodec.aliases(Map.of("pinned", 1L), ROLLING_ON_2);
        assertEquals(ROLLING_ON_2, StateCodec.read(annotations, aliases));
        assertEquals(2L, aliases.get("current"));
        assertEquals(1L, aliases.get("previous"));
        assertEquals(1L, aliases.get("pinned"), "aliases that are not Rotor's are kept");
        assertEquals(2L, aliases.get("rotor-key-" + KEY2));
        assertTrue(aliases.keySet().stream().allMatch(a -> a.length() <= 63 && a.matches("[A-Za-z][A-Za-z0-9_-]*")),
                "every alias follows Secret Manager's rules: " + aliases);
    }

    @Test
    void aStaleSnapshotOfTheAnnotationsIsOverruledByTheFence() {
        Map<String, String> stale = StateCodec.write(POLICY, IDLE_ON_1);
        Map<String, Long> aliases = StateCodec.aliases(Map.of(), ROLLING_ON_2);
        RotationState read = StateCodec.read(stale, aliases);
        assertEquals(Phase.ROLLING, read.phase());
        assertEquals(2L, read.current(), "current never moves backwards");
        assertEquals(1L, read.previous());
        assertEquals(Map.of("1", KEY1, "2", KEY2), read.keyIds(), "the new version's key is still known");
        assertTrue(read.leased(ROLLING_ON_2.leaseExpiry().minusSeconds(5)), "the lease still holds");
        assertEquals(ROLLING_ON_2.rotatedAt().truncatedTo(ChronoUnit.SECONDS), read.rotatedAt());
        assertEquals(ROLLING_ON_2.claimedAt().truncatedTo(ChronoUnit.SECONDS), read.claimedAt());
    }

    @Test
    void aClaimRevertedBeforeTheFirstCommitOfAnAttemptKeepsItsClaim() {
        RotationState claimed = IDLE_ON_1.claimed("run-2", "attempt-2", T0.plusSeconds(3600), T0.plusSeconds(4200));
        RotationState read = StateCodec.read(StateCodec.write(POLICY, IDLE_ON_1), StateCodec.aliases(Map.of(), claimed));
        assertEquals(Phase.ROTATING, read.phase());
        assertEquals(T0.plusSeconds(3600), read.claimedAt(), "versions added since the claim are still adopted");
        assertEquals("attempt-1", read.attemptId(), "the recorded fields of the same rotation are kept");
    }

    @Test
    void theKeysAnAttemptMadeSurviveAStaleWrite() {
        String made = "c".repeat(40);
        RotationState minting = IDLE_ON_1.claimed("run-2", "attempt-2", T0.plusSeconds(3600), T0.plusSeconds(4200))
                .withPendingKeys(java.util.List.of(made));
        Map<String, Long> aliases = StateCodec.aliases(Map.of(), minting);
        assertEquals(1L, aliases.get("rotor-pending-" + made));
        RotationState read = StateCodec.read(StateCodec.write(POLICY, IDLE_ON_1), aliases);
        assertEquals(java.util.List.of(made), read.pendingKeys(), "the key is still Rotor's to delete");
    }

    @Test
    void aDeletedOrUnreadableStateIsRestoredFromTheFence() {
        Map<String, Long> aliases = StateCodec.aliases(Map.of(), ROLLING_ON_2);
        RotationState deleted = StateCodec.read(POLICY, aliases);
        assertEquals(2L, deleted.current());
        assertEquals(Phase.ROLLING, deleted.phase());
        Map<String, String> garbled = new HashMap<>(POLICY);
        garbled.put(PolicyParser.STATE, "{not json");
        assertEquals(deleted, StateCodec.read(garbled, aliases));
        assertThrows(IllegalArgumentException.class, () -> StateCodec.read(garbled, Map.of("current", 2L)),
                "without a fence an unreadable state is an error, not a new secret");
    }

    @Test
    void unknownAnnotationsAndPolicyChangesLeaveTheStateAlone() {
        Map<String, String> annotations = new HashMap<>(StateCodec.write(POLICY, ROLLING_ON_2));
        annotations.put("team.example/owner", "payments");
        annotations.put("rotor.grace", "PT1H");
        assertEquals(ROLLING_ON_2, StateCodec.read(annotations, StateCodec.aliases(Map.of(), ROLLING_ON_2)));
    }

    @Test
    void withoutAFenceTheAnnotationIsTheState() {
        assertEquals(RotationState.NEW, StateCodec.read(POLICY, Map.of()));
        assertEquals(IDLE_ON_1, StateCodec.read(StateCodec.write(POLICY, IDLE_ON_1), Map.of("current", 1L)));
        assertTrue(StateCodec.aliases(Map.of("mine", 3L), RotationState.NEW).equals(Map.of("mine", 3L)),
                "no version yet: no alias to write");
    }

    @Test
    void currentAndPreviousMoveWithACommitAndComeBackWhenRemoved() {
        Map<String, Long> written = new HashMap<>(StateCodec.aliases(Map.of(), ROLLING_ON_2));
        written.put("current", 1L); // an operator rolls back by moving the alias
        RotationState released = ROLLING_ON_2.idle("rotated", null);
        assertEquals(1L, StateCodec.aliases(written, released).get("current"), "a move between commits stays");
        written.keySet().removeIf(a -> !a.startsWith(StateFence.PREFIX)); // Terraform without ignore_changes
        Map<String, Long> restored = StateCodec.aliases(written, released);
        assertEquals(2L, restored.get("current"));
        assertEquals(1L, restored.get("previous"));
        RotationState third = released.claimed("run-3", "attempt-3", T0, T0.plusSeconds(600))
                .committed(3, T0, null, Map.of(), Phase.IDLE, null);
        Map<String, Long> moved = StateCodec.aliases(Map.of("current", 1L, "previous", 1L), third);
        assertEquals(3L, moved.get("current"), "a commit moves current");
        assertEquals(2L, moved.get("previous"));
    }

    @Test
    void everyTextIsCutSoTheStateStaysWithinItsBound() {
        String huge = "x".repeat(20_000);
        RotationState noisy = ROLLING_ON_2.requested("operator@example.com", huge).failed("failed: " + huge);
        String json = StateCodec.write(POLICY, noisy).get(PolicyParser.STATE);
        RotationState read = StateCodec.read(Map.of(PolicyParser.STATE, json));
        assertEquals(StateCodec.MAX_TEXT, read.reason().length());
        assertEquals(StateCodec.MAX_TEXT, read.lastOutcome().length());
        assertTrue(json.getBytes(StandardCharsets.UTF_8).length <= StateCodec.MAX_STATE_BYTES);
    }

    /**
     * The largest state a policy can produce: ten live keys and ten pending ones (IAM's limit is ten per
     * account), every text at its cut.
     */
    @Test
    void theLargestStateOfAnyPolicyFitsBesideAFullDeclaration() {
        Map<String, String> keys = new HashMap<>();
        for (int v = 1; v <= 10; v++) {
            keys.put(Long.toString(1_000_000 + v), Integer.toHexString(v).repeat(40).substring(0, 40));
        }
        String text = "y".repeat(StateCodec.MAX_TEXT);
        RotationState worst = new RotationState(Phase.ROLLING, 1_000_010L, 1_000_009L, T0, T0, keys, text,
                Integer.MAX_VALUE, text, T0, text, T0, T0, true, text, text)
                .withPendingKeys(keys.values().stream().map(k -> k.replace('0', 'p')).toList());
        String json = StateCodec.write(POLICY, worst).get(PolicyParser.STATE);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes <= StateCodec.MAX_STATE_BYTES, "worst case is " + bytes + " bytes");
        Map<String, Long> userAliases = new HashMap<>();
        for (int i = 0; i < 45; i++) {
            userAliases.put("user" + i, 1L);
        }
        Map<String, Long> aliases = StateCodec.aliases(userAliases, worst);
        assertEquals(StateFence.MAX_ALIASES, aliases.size(), "Rotor fills at most the room left: " + aliases.size());
        assertEquals(2, aliases.keySet().stream().filter(a -> a.startsWith(StateFence.PENDING_PREFIX)).count(),
                "the room goes first to pending keys, which no version holds: " + aliases.keySet());
    }

    @Test
    void aStateThatCannotFitFailsBeforeAnythingIsWritten() {
        Map<String, String> keys = new HashMap<>();
        for (int v = 1; v <= 200; v++) {
            keys.put(Integer.toString(v), "k".repeat(40));
        }
        RotationState tooMany = IDLE_ON_1.committed(200, T0, null, keys, Phase.IDLE, null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateCodec.write(POLICY, tooMany));
        assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
        assertNull(POLICY.get(PolicyParser.STATE));
    }

    private static ManagedSecret secretShowing(RotationState recorded) {
        return new ManagedSecret(new SecretRef("p", "db"), StateCodec.write(POLICY, recorded),
                StateCodec.aliases(Map.of(), recorded), "etag-1", T0, Optional.empty(), Duration.ZERO, true);
    }

    @Test
    void aLeaseIsStillHeldOnlyByTheSameHolderAndAttempt() {
        RotationState held = IDLE_ON_1.claimed("run-2", "attempt-2", T0.plusSeconds(60), T0.plusSeconds(660));
        assertTrue(StateCodec.stillHeld(secretShowing(held), held));
        assertFalse(StateCodec.stillHeld(secretShowing(held.withLease("run-3", T0.plusSeconds(900))), held),
                "another run took it over");
        assertFalse(StateCodec.stillHeld(secretShowing(IDLE_ON_1.claimed("run-2", "attempt-3", T0.plusSeconds(60),
                T0.plusSeconds(660))), held), "the same run's later attempt");
        assertFalse(StateCodec.stillHeld(secretShowing(IDLE_ON_1), IDLE_ON_1), "no lease is never still held");
    }

    @Test
    void aWriteOnAFreshReadHappensOnlyWhileTheLeaseIsStillHeld() {
        try (Engine e = new Engine()) {
            e.declare("db", Map.of("rotor.kind", "generated"));
            SecretStore store = e.env.bean(SecretStore.class);
            SecretRef ref = new SecretRef(Engine.PROJECT, "db");
            RotationState held = RotationState.NEW.claimed("run-9", "attempt-9", T0, T0.plusSeconds(600));
            StateCodec.save(store, store.get(ref), held);
            RotationState failed = held.failed("failed: test");
            assertTrue(StateCodec.saveIfStillHeld(store, ref, held, failed).isPresent());
            assertEquals("failed: test", e.state("db").lastOutcome());
            assertTrue(StateCodec.saveIfStillHeld(store, ref, held, held.failed("failed: again")).isEmpty(),
                    "the lease was given back by the first write");
            assertEquals("failed: test", e.state("db").lastOutcome(), "nothing was written");
        }
    }
}
