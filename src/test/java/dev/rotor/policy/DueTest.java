package dev.rotor.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a run does with a secret, from one valid case with named tweaks (STYLE: table-test the pure decisions). */
class DueTest {
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final Policy TOKEN = policy(Map.of("rotor.kind", "access-token",
            "rotor.service-account", "app@demo-project.iam.gserviceaccount.com",
            "rotor.consumers", "run:projects/p/locations/l/services/s"));

    static Policy policy(Map<String, String> annotations) {
        return ((Declaration.Valid) PolicyParser.parse(annotations)).policy();
    }

    /** A token committed at T0, expiring an hour later, whose consumer has not rolled; lease given back. */
    private static RotationState rollPending() {
        return new RotationState(RotationState.Phase.ROLLING, 2L, 1L, T0, T0.plus(Duration.ofHours(1)), Map.of(),
                "failed: roll", 0, "a", T0, null, null, null, false, null, null, java.util.List.of(),
                Map.of("run:projects/p/locations/l/services/s", 1L));
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
