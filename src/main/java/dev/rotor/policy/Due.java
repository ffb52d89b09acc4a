package dev.rotor.policy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Decides from a policy, the recorded state and the time alone what a secret needs now. No I/O: a pass
 * over secrets that need nothing costs only the list call that fetched their annotations.
 */
public final class Due {
    /** What a run should do with one secret. */
    public enum Action { NONE, ROTATE, RESUME, RETIRE, LOCKED }

    /** The decision, why, and when the secret is next due (for reports and plans). */
    public record Decision(Action action, String reason, Optional<Instant> nextDue) {
    }

    private Due() {
    }

    public static Decision evaluate(Policy policy, RotationState state, Instant now) {
        if (state.phase() != RotationState.Phase.IDLE && state.leased(now)) {
            return new Decision(Action.LOCKED, "another run holds the lease until " + state.leaseExpiry(),
                    Optional.ofNullable(state.leaseExpiry()));
        }
        if (state.phase() == RotationState.Phase.ROTATING) {
            return new Decision(Action.RESUME, "an attempt stopped before its commit; resuming", Optional.of(now));
        }
        boolean rollPending = state.phase() == RotationState.Phase.ROLLING;
        if (rollPending && state.current() != null && state.rotatedAt() != null && !now.isBefore(rotateAt(policy, state))
                && !waitingForWindow(policy, now)) {
            // a consumer that cannot roll never stops a due rotation: mint now, keep retrying the roll
            return new Decision(Action.ROTATE, "due while consumers have not all rolled to version "
                    + state.current(), Optional.of(now));
        }
        if (rollPending) {
            return new Decision(Action.RESUME, "consumers have not all rolled to version " + state.current()
                    + "; retrying the roll", Optional.of(now));
        }
        if (state.current() == null || state.rotatedAt() == null) {
            return new Decision(Action.ROTATE, "no current version yet", Optional.of(now));
        }
        Instant rotateAt = rotateAt(policy, state);
        if (!now.isBefore(rotateAt)) {
            if (waitingForWindow(policy, now)) {
                return new Decision(Action.NONE, "due, waiting for the rotation window " + policy.window().get(),
                        Optional.of(rotateAt));
            }
            return new Decision(Action.ROTATE, policy.kind().isToken()
                    ? "token expires at " + state.expiresAt() : "last rotated at " + state.rotatedAt(),
                    Optional.of(rotateAt));
        }
        if (state.retireAt() != null && !now.isBefore(state.retireAt())) {
            return new Decision(Action.RETIRE, "retirement due since " + state.retireAt(), Optional.of(rotateAt));
        }
        Instant next = state.retireAt() != null && state.retireAt().isBefore(rotateAt) ? state.retireAt() : rotateAt;
        return new Decision(Action.NONE, "not due", Optional.of(next));
    }

    /** Scheduled key rotation waits for the declared window; tokens never wait (they would expire). */
    private static boolean waitingForWindow(Policy policy, Instant now) {
        return !policy.kind().isToken() && policy.window().isPresent()
                && !policy.window().get().contains(now.atZone(ZoneOffset.UTC).getHour());
    }

    /** When the current credential should be replaced. */
    public static Instant rotateAt(Policy policy, RotationState state) {
        if (policy.kind().isToken() && state.expiresAt() != null) {
            return state.expiresAt().minus(policy.refreshBefore());
        }
        return state.rotatedAt().plus(policy.rotateEvery());
    }
}
