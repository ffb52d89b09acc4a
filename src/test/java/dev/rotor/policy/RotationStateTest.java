package dev.rotor.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write-ahead record's transitions: what each step keeps, what it gives back, and what a record written
 * before a field existed reads as. From one committed state (version 2 over 1, a roll pending for one consumer)
 * with one transition at a time.
 */
class RotationStateTest {
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final Instant LEASE = T0.plus(Duration.ofMinutes(10));
    private static final String A = "run:projects/p/locations/l/services/a";
    private static final String B = "run:projects/p/locations/l/services/b";
    private static final String C = "run:projects/p/locations/l/services/c";

    /** Version 2 committed at T0 over 1; consumer A serves 2, B still 1; run-1 holds the lease; a revoke asked. */
    private static RotationState rolling() {
        return new RotationState(RotationState.Phase.ROLLING, 2L, 1L, T0, null, Map.of("2", "key-2"), "rotated", 0,
                "attempt-1", T0, "run-1", LEASE, null, true, "oncall@example.com", "leaked", List.of("key-3"),
                Map.of(A, 2L, B, 1L));
    }

    @Test
    void aRecordWrittenWithoutOptionalFieldsReadsAsAnIdleOneWithEmptyCollections() {
        RotationState old = new RotationState(null, 1L, null, T0, null, null, null, 0, null, null, null, null, null,
                false, null, null, null, null);
        assertEquals(RotationState.Phase.IDLE, old.phase());
        assertEquals(Map.of(), old.keyIds());
        assertEquals(List.of(), old.pendingKeys());
        assertEquals(Map.of(), old.rolled());
    }

    @Test
    void pendingKeysAreRecordedOnceEachInTheOrderTheyWereMade() {
        assertEquals(List.of("k1", "k2"), RotationState.NEW.withPendingKeys(List.of("k1", "k2", "k1")).pendingKeys());
    }

    @Test
    void theVersionsOfConsumersThatHaveNotRolledAreHeld() {
        assertEquals(Set.of(1L), rolling().held(List.of(A, B)));
        assertEquals(List.of(B, C), rolling().unrolled(List.of(A, B, C)), "C has not confirmed any version yet");
        assertEquals(List.of(A, B), RotationState.NEW.unrolled(List.of(A, B)), "without a current version none rolled");
        RotationState allRolled = rolling().withRolled(Map.of(A, 2L, B, 2L));
        assertEquals(Set.of(), allRolled.held(List.of(A, B)));
        assertEquals(List.of(), allRolled.unrolled(List.of(A, B)));
    }

    /** Only declared consumers hold: one removed releases what it served, one added holds the previous version. */
    @Test
    void heldVersionsFollowTheConsumersDeclaredNow() {
        assertEquals(Set.of(), rolling().held(List.of(A)), "B was removed while it served 1");
        assertEquals(Set.of(1L), rolling().held(List.of(A, C)), "C, added since the commit, is taken to serve 1");
        assertEquals(Set.of(), rolling().withRolled(Map.of(A, 2L, B, 2L)).held(List.of()), "no consumers, none held");
        assertEquals(Set.of(), RotationState.NEW.held(List.of(A)), "nothing before the first commit");
    }

    @Test
    void aLeaseHoldsUntilItsExpiryAndNotAtIt() {
        assertTrue(rolling().leased(LEASE.minusMillis(1)));
        assertFalse(rolling().leased(LEASE));
        assertFalse(rolling().withLease(null, LEASE).leased(T0), "no holder, no lease");
        assertFalse(rolling().withLease("run-1", null).leased(T0), "no expiry, no lease");
    }

    @Test
    void aClaimStartsAnAttemptAndCountsIt() {
        RotationState claimed = rolling().claimed("run-2", "attempt-2", T0.plusSeconds(60), LEASE.plusSeconds(60));
        assertEquals(RotationState.Phase.ROTATING, claimed.phase());
        assertEquals(1, claimed.attempts());
        assertEquals("attempt-2", claimed.attemptId());
        assertEquals(T0.plusSeconds(60), claimed.claimedAt(), "a claim after a commit starts afresh");
        assertEquals("run-2", claimed.leaseHolder());
        assertEquals(LEASE.plusSeconds(60), claimed.leaseExpiry());
        assertEquals(2L, claimed.current());
        assertEquals(List.of("key-3"), claimed.pendingKeys());
    }

    @Test
    void aClaimAfterAnUnfinishedAttemptKeepsTheFirstClaimTimeSoAdoptionStillFindsWhatItMade() {
        RotationState first = RotationState.NEW.claimed("run-1", "attempt-1", T0, LEASE);
        RotationState second = first.claimed("run-2", "attempt-2", T0.plusSeconds(900), LEASE.plusSeconds(900));
        assertEquals(T0, second.claimedAt());
        assertEquals(2, second.attempts());
        RotationState noClaimTime = new RotationState(RotationState.Phase.ROTATING, null, null, null, null, null, null,
                1, "attempt-1", null, null, null, null, false, null, null);
        assertEquals(T0, noClaimTime.claimed("run-2", "attempt-2", T0, LEASE).claimedAt());
    }

    @Test
    void aCommitThatSettlesEverythingReleasesTheLeaseAndTheRevoke() {
        RotationState committed = rolling().committed(3, T0.plusSeconds(5), T0.plus(Duration.ofHours(1)),
                Map.of("3", "key-3"), RotationState.Phase.IDLE, T0.plus(Duration.ofHours(1)));
        assertEquals(RotationState.Phase.IDLE, committed.phase());
        assertEquals(3L, committed.current());
        assertEquals(2L, committed.previous());
        assertEquals(T0.plusSeconds(5), committed.rotatedAt());
        assertEquals(T0.plus(Duration.ofHours(1)), committed.expiresAt());
        assertEquals(Map.of("3", "key-3"), committed.keyIds());
        assertEquals("rotated", committed.lastOutcome());
        assertEquals(0, committed.attempts());
        assertNull(committed.leaseHolder());
        assertNull(committed.leaseExpiry());
        assertEquals(T0.plus(Duration.ofHours(1)), committed.retireAt());
        assertFalse(committed.revokePending());
        assertEquals(List.of(), committed.pendingKeys(), "the committed key is no longer pending");
    }

    @Test
    void aCommitWithConsumersStillToRollKeepsTheLeaseAndTheRevokePending() {
        RotationState committed = rolling().committed(3, T0, null, Map.of("3", "key-9"), RotationState.Phase.ROLLING,
                null);
        assertEquals(RotationState.Phase.ROLLING, committed.phase());
        assertEquals("run-1", committed.leaseHolder());
        assertEquals(LEASE, committed.leaseExpiry());
        assertTrue(committed.revokePending());
        assertEquals(List.of("key-3"), committed.pendingKeys(), "a key that was not committed stays pending");
    }

    @Test
    void settlingGivesTheLeaseBackAndRecordsTheOutcome() {
        RotationState settled = rolling().settled(RotationState.Phase.IDLE, "rolled", T0.plusSeconds(3600), false);
        assertEquals(RotationState.Phase.IDLE, settled.phase());
        assertEquals("rolled", settled.lastOutcome());
        assertNull(settled.leaseHolder());
        assertNull(settled.leaseExpiry());
        assertEquals(T0.plusSeconds(3600), settled.retireAt());
        assertFalse(settled.revokePending());
        assertEquals(rolling().rolled(), settled.rolled());
        assertTrue(rolling().settled(RotationState.Phase.ROLLING, "roll failed", null, true).revokePending());
    }

    @Test
    void goingIdleReleasesTheLeaseAndEndsTheRevoke() {
        RotationState idle = rolling().idle("retired", T0.plusSeconds(60));
        assertEquals(RotationState.Phase.IDLE, idle.phase());
        assertEquals("retired", idle.lastOutcome());
        assertNull(idle.leaseHolder());
        assertNull(idle.leaseExpiry());
        assertEquals(T0.plusSeconds(60), idle.retireAt());
        assertFalse(idle.revokePending());
    }

    @Test
    void aFailureKeepsThePhaseSoTheNextRunResumesButGivesTheLeaseBack() {
        RotationState failed = rolling().failed("failed: roll");
        assertEquals(RotationState.Phase.ROLLING, failed.phase());
        assertEquals("failed: roll", failed.lastOutcome());
        assertNull(failed.leaseHolder());
        assertNull(failed.leaseExpiry());
        assertTrue(failed.revokePending());
        assertEquals(2L, failed.current());
    }

    @Test
    void aManualRequestRecordsWhoAndWhyAndARevokeCanBeAskedOrWithdrawn() {
        RotationState asked = RotationState.NEW.requested("oncall@example.com", "key leaked").revoking(true);
        assertEquals("oncall@example.com", asked.requestedBy());
        assertEquals("key leaked", asked.reason());
        assertTrue(asked.revokePending());
        assertFalse(asked.revoking(false).revokePending());
    }
}
