package dev.rotor.rotation;

import dev.rotor.policy.PolicyParser;
import dev.rotor.policy.RotationState;
import dev.rotor.policy.RotationState.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fence's spelling in alias names, case by case: every phase and the revoke flag survive a stale write of
 * the annotation, key ids that cannot be an alias stay in the annotation only, the alias limit keeps the newest
 * keys, a fence Rotor cannot read is ignored, and the state's byte bound is inclusive (mutation testing,
 * docs/testing.md).
 */
class StateFenceTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Map<String, String> POLICY = Map.of("rotor.kind", "service-account-key");
    private static final RotationState ON_1 = RotationState.NEW.claimed("run-1", "a-1", T0, T0.plusSeconds(600))
            .committed(1, T0, null, Map.of(), Phase.IDLE, null);

    /** The annotation as Terraform wrote it back from an old snapshot: only the fence knows the truth. */
    private static RotationState afterAStaleWrite(RotationState written) {
        return StateCodec.read(StateCodec.write(POLICY, ON_1), StateCodec.aliases(Map.of(), written));
    }

    @ParameterizedTest
    @EnumSource(Phase.class)
    void everyPhaseAndTheRevokeFlagAreRestoredFromTheFence(Phase phase) {
        for (boolean revoke : new boolean[] {false, true}) {
            RotationState written = ON_1.claimed("run-2", "a-2", T0.plusSeconds(60), T0.plusSeconds(660))
                    .committed(2, T0.plusSeconds(60), null, Map.of(), phase, null).revoking(revoke);
            RotationState read = afterAStaleWrite(written);
            assertEquals(phase, read.phase(), "phase, revoke " + revoke);
            assertEquals(revoke, read.revokePending(), "revoke flag in phase " + phase);
        }
    }

    @Test
    void aFenceOfAnUnknownPhaseIsIgnoredNotACrash() {
        int phases = Phase.values().length;
        for (int flags : new int[] {phases * 2, phases * 2 + 1}) {
            Map<String, Long> aliases = Map.of("rotor-s" + flags + "-_-_-_-_-abc", 3L);
            assertTrue(StateFence.find(aliases).isEmpty(), "flags " + flags);
        }
        assertEquals(Phase.ROLLING, StateFence.find(Map.of("rotor-s" + (Phase.ROLLING.ordinal() * 2 + 1)
                + "-_-_-_-_-abc", 3L)).orElseThrow().phase(), "the highest known phase still reads");
    }

    @Test
    void aKeyIdIsAnAliasOnlyWhenItFitsSecretManagersAliasRules() {
        String fitsExactly = "k".repeat(63 - StateFence.KEY_PREFIX.length());
        String oneTooLong = fitsExactly + "k";
        String pendingFits = "p".repeat(63 - StateFence.PENDING_PREFIX.length());
        String pendingTooLong = pendingFits + "p";
        RotationState s = ON_1.claimed("run-2", "a-2", T0, T0.plusSeconds(600))
                .committed(4, T0, null, Map.of("1", fitsExactly, "2", oneTooLong, "3", "has.dot"), Phase.IDLE, null)
                .withPendingKeys(List.of(pendingFits, pendingTooLong, "has.dot"));
        Map<String, Long> aliases = StateFence.aliases(Map.of(), s, "{}");
        assertEquals(1L, aliases.get(StateFence.KEY_PREFIX + fitsExactly), "63 characters is the limit, inclusive");
        assertFalse(aliases.containsKey(StateFence.KEY_PREFIX + oneTooLong), aliases.keySet().toString());
        assertFalse(aliases.containsKey(StateFence.KEY_PREFIX + "has.dot"), aliases.keySet().toString());
        assertEquals(4L, aliases.get(StateFence.PENDING_PREFIX + pendingFits));
        assertFalse(aliases.containsKey(StateFence.PENDING_PREFIX + pendingTooLong), aliases.keySet().toString());
        assertFalse(aliases.containsKey(StateFence.PENDING_PREFIX + "has.dot"), aliases.keySet().toString());
        assertTrue(aliases.keySet().stream().allMatch(a -> a.length() <= 63 && a.matches("[A-Za-z][A-Za-z0-9_-]*")),
                "every alias follows Secret Manager's rules: " + aliases.keySet());
    }

    @Test
    void whenKeysOutnumberTheRoomTheNewestVersionsKeepTheirAliases() {
        Map<String, String> keys = new HashMap<>();
        for (int v = 1; v <= 60; v++) {
            keys.put(Integer.toString(v), "key" + v);
        }
        RotationState s = ON_1.claimed("run-2", "a-2", T0, T0.plusSeconds(600))
                .committed(60, T0, null, keys, Phase.IDLE, null);
        Map<String, Long> aliases = StateFence.aliases(Map.of(), s, "{}");
        assertEquals(StateFence.MAX_ALIASES, aliases.size());
        int room = StateFence.MAX_ALIASES - 3; // current, previous and the fence come first
        for (int v = 60; v > 60 - room; v--) {
            assertEquals((long) v, aliases.get(StateFence.KEY_PREFIX + "key" + v), "version " + v);
        }
        assertFalse(aliases.containsKey(StateFence.KEY_PREFIX + "key" + (60 - room)), aliases.keySet().toString());
    }

    /** The byte bound is inclusive: a state of exactly {@link StateCodec#MAX_STATE_BYTES} is written. */
    @Test
    void aStateOfExactlyTheBoundIsWrittenAndOneByteMoreIsNot() {
        Map<String, String> keys = new HashMap<>();
        for (int v = 2; v <= 77; v++) {
            keys.put(Integer.toString(v), "k".repeat(40));
        }
        RotationState s = ON_1.committed(77, T0, null, keys, Phase.IDLE, null);
        // an outcome under its cut fills the rest to the byte
        int outcome = 1 + StateCodec.MAX_STATE_BYTES - bytes(s.failed("x"));
        assertTrue(outcome > 0 && outcome < StateCodec.MAX_TEXT, "the outcome fits under its cut: " + outcome);
        RotationState exact = s.failed("x".repeat(outcome));
        assertEquals(StateCodec.MAX_STATE_BYTES, bytes(exact));
        RotationState over = s.failed("x".repeat(outcome + 1));
        assertThrows(IllegalStateException.class, () -> StateCodec.write(POLICY, over));
    }

    private static int bytes(RotationState s) {
        try {
            return StateCodec.write(POLICY, s).get(PolicyParser.STATE).getBytes(StandardCharsets.UTF_8).length;
        } catch (IllegalStateException tooBig) {
            return Integer.MAX_VALUE;
        }
    }

    @Test
    void aliasesAreLostOnlyForACommittedIdleSecretMissingCurrentOrItsFence() {
        Map<String, Long> written = StateCodec.aliases(Map.of(), ON_1);
        Map<String, Long> noCurrent = new HashMap<>(written);
        noCurrent.remove("current");
        Map<String, Long> noFence = new HashMap<>(written);
        noFence.keySet().removeIf(a -> a.startsWith("rotor-s"));
        assertFalse(StateFence.lost(written, ON_1), "all there");
        assertTrue(StateFence.lost(Map.of(), ON_1), "Terraform removed them all");
        assertTrue(StateFence.lost(noCurrent, ON_1), "current removed");
        assertTrue(StateFence.lost(noFence, ON_1), "the fence removed");
        RotationState rolling = ON_1.claimed("run-2", "a-2", T0, T0.plusSeconds(600))
                .committed(2, T0, null, Map.of(), Phase.ROLLING, null);
        assertFalse(StateFence.lost(Map.of(), rolling), "a rolling secret is written again by its next step");
        assertFalse(StateFence.lost(Map.of(), RotationState.NEW), "nothing committed, nothing to lose");
    }

    @Test
    void theVisibleAliasesAreCurrentPreviousAndTheOwnersWithoutRotorsBookkeeping() {
        RotationState on2 = ON_1.claimed("run-2", "a-2", T0, T0.plusSeconds(600))
                .committed(2, T0, null, Map.of("2", "k".repeat(40)), Phase.IDLE, null);
        Map<String, Long> all = StateCodec.aliases(Map.of("pinned", 1L), on2);
        assertTrue(all.keySet().stream().anyMatch(a -> a.startsWith("rotor-")), all.toString());
        assertEquals(Map.of("current", 2L, "previous", 1L, "pinned", 1L), StateFence.visible(all));
    }
}
