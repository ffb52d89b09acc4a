package dev.rotor.policy;

import java.time.Duration;
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
        // IDLE with a live lease is a run between its commit and its last state write: retiring beside it would
        // race that write, so it is locked like any other phase
        if (state.leased(now)) {
            return new Decision(Action.LOCKED, "another run holds the lease until " + state.leaseExpiry(),
                    Optional.ofNullable(state.leaseExpiry()));
        }
        if (state.phase() == RotationState.Phase.ROTATING) {
            return new Decision(Action.RESUME, "an attempt stopped before its commit; resuming", Optional.of(now));
        }
        boolean rollPending = state.phase() == RotationState.Phase.ROLLING;
        if (rollPending && state.current() != null && state.rotatedAt() != null && !now.isBefore(rotateAt(policy, state))
                && !waitingForWindow(policy, state, now)) {
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
        if (!state.sameIdentity(policy)) {
            // consumers must get the credential now declared, not the old one until it falls due
            return new Decision(Action.ROTATE, "the declared credential changed from " + state.identity(),
                    Optional.of(now));
        }
        Instant rotateAt = rotateAt(policy, state);
        if (!now.isBefore(rotateAt)) {
            boolean expiring = expiryBound(policy, state);
            if (waitingForWindow(policy, state, now)) {
                return new Decision(Action.NONE, "due, waiting for the rotation window " + policy.window().get(),
                        Optional.of(rotateAt));
            }
            return new Decision(Action.ROTATE, policy.kind().isToken() ? "token expires at " + state.expiresAt()
                    : expiring ? keyExpiry(policy, state) + "; rotating now, outside any rotation window"
                    : "last rotated at " + state.rotatedAt(), Optional.of(rotateAt));
        }
        if (state.retireAt() != null && !now.isBefore(state.retireAt())) {
            return new Decision(Action.RETIRE, "retirement due since " + state.retireAt(), Optional.of(rotateAt));
        }
        Instant next = state.retireAt() != null && state.retireAt().isBefore(rotateAt) ? state.retireAt() : rotateAt;
        return new Decision(Action.NONE, expiryBound(policy, state) ? "not due; " + keyExpiry(policy, state)
                : "not due", Optional.of(next));
    }

    /** Scheduled key rotation waits for the declared window; tokens and expiring keys never wait. */
    private static boolean waitingForWindow(Policy policy, RotationState state, Instant now) {
        return !policy.kind().isToken() && !expiryBound(policy, state) && policy.window().isPresent()
                && !policy.window().get().contains(now.atZone(ZoneOffset.UTC).getHour());
    }

    /**
     * When the current credential should be replaced. A token: {@code refresh-before} its expiry. A key:
     * after {@code rotate-every}, or earlier when the organisation's {@code iam.serviceAccountKeyExpiryHours}
     * gave it a {@code valid_before_time} (recorded as {@code expiresAt}) that comes first, minus
     * {@link #keyExpiryMargin}.
     */
    public static Instant rotateAt(Policy policy, RotationState state) {
        if (policy.kind().isToken() && state.expiresAt() != null) {
            return state.expiresAt().minus(policy.refreshBefore());
        }
        Instant scheduled = state.rotatedAt().plus(policy.rotateEvery());
        if (state.expiresAt() != null) {
            Instant beforeExpiry = state.expiresAt().minus(keyExpiryMargin(policy));
            return beforeExpiry.isBefore(scheduled) ? beforeExpiry : scheduled;
        }
        return scheduled;
    }

    /** How long before a key's {@code valid_before_time} it is replaced: the longer of refresh-before and 2 h. */
    public static Duration keyExpiryMargin(Policy policy) {
        return policy.refreshBefore().compareTo(Policy.KEY_EXPIRY_MARGIN) > 0 ? policy.refreshBefore()
                : Policy.KEY_EXPIRY_MARGIN;
    }

    private static boolean expiryBound(Policy policy, RotationState state) {
        return !policy.kind().isToken() && state.expiresAt() != null && state.rotatedAt() != null
                && state.expiresAt().minus(keyExpiryMargin(policy)).isBefore(state.rotatedAt().plus(policy.rotateEvery()));
    }

    private static String keyExpiry(Policy policy, RotationState state) {
        return "the key expires at " + state.expiresAt() + " (constraints/iam.serviceAccountKeyExpiryHours), before "
                + "rotate-every; it is replaced " + keyExpiryMargin(policy) + " before";
    }
}
