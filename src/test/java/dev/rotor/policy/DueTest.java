package dev.rotor.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a run does with a secret, from one valid case with named tweaks (STYLE: table-test the pure decisions). */
class DueTest {
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final Policy TOKEN = policy(Map.of("rotor.kind", "access-token",
            "rotor.service-account", "app@demo-project.iam.gserviceaccount.com",
            "rotor.consumers", "run:projects/p/locations/l/services/s"));

    private static final Policy KEY = policy(Map.of("rotor.kind", "service-account-key",
            "rotor.service-account", "app@demo-project.iam.gserviceaccount.com", "rotor.rotate-every", "P30D",
            "rotor.window", "02-04"));

    static Policy policy(Map<String, String> annotations) {
        return ((Declaration.Valid) PolicyParser.parse(annotations)).policy();
    }

    /** A token committed at T0, expiring an hour later, whose consumer has not rolled; lease given back. */
    private static RotationState rollPending() {
        return new RotationState(RotationState.Phase.ROLLING, 2L, 1L, T0, T0.plus(Duration.ofHours(1)), Map.of(),
                "failed: roll", 0, "a", T0, null, null, null, false, null, null, java.util.List.of(),
                Map.of("run:projects/p/locations/l/services/s", 1L));
    }

    /** Version 2 committed at T0, consumers rolled, lease given back. */
    private static RotationState idle(Instant expiresAt, Instant retireAt) {
        return new RotationState(RotationState.Phase.IDLE, 2L, 1L, T0, expiresAt, Map.of(), "rotated", 0, "a", T0,
                null, null, retireAt, false, null, null);
    }

    @Test
    void aSecretWithoutACurrentVersionIsRotatedAtOnce() {
        Due.Decision d = Due.evaluate(KEY, RotationState.NEW, T0);
        assertEquals(new Due.Decision(Due.Action.ROTATE, "no current version yet", java.util.Optional.of(T0)), d);
    }

    @Test
    void aScheduledKeyIsDueAfterRotateEveryAndWaitsForItsWindow() {
        Instant due = T0.plus(Duration.ofDays(30)); // 10:00 UTC, outside 02-04
        assertEquals(new Due.Decision(Due.Action.NONE, "not due", java.util.Optional.of(due)),
                Due.evaluate(KEY, idle(null, null), due.minusSeconds(1)));
        Due.Decision waiting = Due.evaluate(KEY, idle(null, null), due);
        assertEquals(Due.Action.NONE, waiting.action());
        assertEquals(java.util.Optional.of(due), waiting.nextDue());
        assertTrue(waiting.reason().startsWith("due, waiting for the rotation window 02-04 UTC"), waiting.reason());
        Instant inWindow = due.plus(Duration.ofHours(16)); // 02:00 UTC
        assertEquals(new Due.Decision(Due.Action.ROTATE, "last rotated at " + T0, java.util.Optional.of(due)),
                Due.evaluate(KEY, idle(null, null), inWindow));
    }

    @Test
    void aKeyThatExpiresBeforeRotateEveryIsReplacedTwoHoursBeforeItsExpiryWhateverItsWindow() {
        Instant expiry = T0.plus(Duration.ofDays(1)); // iam.serviceAccountKeyExpiryHours = 24
        Instant due = expiry.minus(Duration.ofHours(2));
        assertEquals(due, Due.rotateAt(KEY, idle(expiry, null)));
        Due.Decision before = Due.evaluate(KEY, idle(expiry, null), due.minusSeconds(1));
        assertEquals(Due.Action.NONE, before.action());
        assertEquals(java.util.Optional.of(due), before.nextDue());
        assertEquals("not due; the key expires at " + expiry + " (constraints/iam.serviceAccountKeyExpiryHours), "
                + "before rotate-every; it is replaced PT2H before", before.reason());
        Due.Decision at = Due.evaluate(KEY, idle(expiry, null), due); // 08:00 UTC, outside 02-04
        assertEquals(Due.Action.ROTATE, at.action());
        assertTrue(at.reason().endsWith("it is replaced PT2H before; rotating now, outside any rotation window"),
                at.reason());
    }

    @Test
    void aKeyWhoseExpiryComesAfterRotateEveryKeepsItsScheduleAndItsWindow() {
        Instant expiry = T0.plus(Duration.ofDays(90));
        Instant due = T0.plus(Duration.ofDays(30));
        assertEquals(due, Due.rotateAt(KEY, idle(expiry, null)));
        assertEquals("not due", Due.evaluate(KEY, idle(expiry, null), due.minusSeconds(1)).reason());
        assertEquals(Due.Action.NONE, Due.evaluate(KEY, idle(expiry, null), due).action(), "10:00 is outside 02-04");
    }

    @Test
    void aRefreshBeforeLongerThanTwoHoursWidensTheKeyExpiryMargin() {
        assertEquals(Duration.ofHours(2), Due.keyExpiryMargin(KEY));
        Policy wider = policy(Map.of("rotor.kind", "service-account-key", "rotor.refresh-before", "PT3H",
                "rotor.service-account", "app@demo-project.iam.gserviceaccount.com"));
        assertEquals(Duration.ofHours(3), Due.keyExpiryMargin(wider));
        Instant expiry = T0.plus(Duration.ofDays(1));
        assertEquals(expiry.minus(Duration.ofHours(3)), Due.rotateAt(wider, idle(expiry, null)));
    }

    @Test
    void aTokenIsDueRefreshBeforeItsExpiryAndNeverWaits() {
        Instant expiry = T0.plus(Duration.ofHours(1));
        Instant due = expiry.minus(Duration.ofMinutes(15));
        assertEquals(new Due.Decision(Due.Action.NONE, "not due", java.util.Optional.of(due)),
                Due.evaluate(TOKEN, idle(expiry, null), due.minusSeconds(1)));
        assertEquals(new Due.Decision(Due.Action.ROTATE, "token expires at " + expiry, java.util.Optional.of(due)),
                Due.evaluate(TOKEN, idle(expiry, null), due));
    }

    @Test
    void retirementFallsDueAtItsTimeAndIsTheNextDueOnlyWhenItComesFirst() {
        Instant retireAt = T0.plus(Duration.ofHours(1));
        Instant rotateAt = T0.plus(Duration.ofDays(30));
        assertEquals(new Due.Decision(Due.Action.NONE, "not due", java.util.Optional.of(retireAt)),
                Due.evaluate(KEY, idle(null, retireAt), retireAt.minusSeconds(1)));
        assertEquals(new Due.Decision(Due.Action.RETIRE, "retirement due since " + retireAt,
                java.util.Optional.of(rotateAt)), Due.evaluate(KEY, idle(null, retireAt), retireAt));
        Instant late = rotateAt.plus(Duration.ofDays(1));
        assertEquals(java.util.Optional.of(rotateAt), Due.evaluate(KEY, idle(null, late), retireAt).nextDue());
    }

    @Test
    void aPendingRollNeverStopsADueRotation() {
        Instant due = T0.plus(Duration.ofMinutes(50)); // refresh-before is 15 minutes
        assertEquals(Due.Action.ROTATE, Due.evaluate(TOKEN, rollPending(), due).action());
    }

    @Test
    void aPendingRollIsRetriedWhileNothingIsDue() {
        assertEquals(Due.Action.RESUME, Due.evaluate(TOKEN, rollPending(), T0.plus(Duration.ofMinutes(10))).action());
    }

    @Test
    void aHeldLeaseLocksEvenWhenDue() {
        RotationState leased = rollPending().withLease("other-run", T0.plus(Duration.ofHours(2)));
        assertEquals(Due.Action.LOCKED, Due.evaluate(TOKEN, leased, T0.plus(Duration.ofMinutes(50))).action());
    }

    @Test
    void aCommittedRunStillHoldingItsLeaseLocksItsRetirement() {
        // between a commit (phase IDLE, retirement due at once) and its last write, another run must not retire
        RotationState committed = new RotationState(RotationState.Phase.IDLE, 2L, 1L, T0, null, Map.of(), "rotated",
                0, "a", T0, null, null, T0, false, null, null, java.util.List.of(), Map.of())
                .withLease("committing-run", T0.plus(Duration.ofMinutes(10)));
        Policy generated = policy(Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"));
        assertEquals(Due.Action.LOCKED, Due.evaluate(generated, committed, T0.plus(Duration.ofSeconds(1))).action());
    }

    @Test
    void anAttemptStoppedBeforeItsCommitIsResumed() {
        RotationState rotating = RotationState.NEW.claimed("r", "a", T0, T0.plus(Duration.ofMinutes(10)));
        assertEquals(Due.Action.RESUME, Due.evaluate(TOKEN, rotating.withLease(null, null),
                T0.plus(Duration.ofMinutes(20))).action());
    }

    @Test
    void aDueKeyWithAPendingRollStillWaitsForItsWindow() {
        Policy key = policy(Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.window", "02-04",
                "rotor.consumers", "run:projects/p/locations/l/services/s"));
        RotationState token = rollPending(); // a generated secret has no expiry (one would bound it, window or not)
        RotationState pending = new RotationState(token.phase(), token.current(), token.previous(), token.rotatedAt(),
                null, Map.of(), token.lastOutcome(), 0, "a", T0, null, null, null, false, null, null,
                java.util.List.of(), token.rolled());
        Instant dueOutsideWindow = T0.plus(Duration.ofDays(2)); // 10:00 UTC
        assertEquals(Due.Action.RESUME, Due.evaluate(key, pending, dueOutsideWindow).action());
        assertEquals(Due.Action.ROTATE, Due.evaluate(key, pending, dueOutsideWindow.plus(Duration.ofHours(17))).action());
    }
}
