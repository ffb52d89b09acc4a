package dev.rotor.policy;

import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Rotor records in {@code rotor.state}, one compact JSON object (DESIGN §1). It is the write-ahead
 * record of a rotation: the phase says how far an attempt got, so a later run finishes or undoes it.
 *
 * @param phase        IDLE, ROTATING (claimed; a version may have been added), ROLLING (committed; consumers
 *                     not yet confirmed)
 * @param current      the version consumers should use
 * @param previous     the version before it, kept enabled through the grace period
 * @param rotatedAt    when {@code current} was committed
 * @param expiresAt    when the credential in {@code current} expires (tokens; keys whose organisation caps
 *                     their life with {@code iam.serviceAccountKeyExpiryHours})
 * @param keyIds       service-account key id by version number (key kinds)
 * @param attemptId    the attempt that holds or last held the lease
 * @param claimedAt    when that attempt claimed the secret: versions created after it belong to it
 * @param leaseHolder  the run that owns the secret now
 * @param leaseExpiry  when another run may take over
 * @param retireAt     the earliest time a retirement step is due
 * @param revokePending an emergency rotation asked for the previous versions to be disabled at once
 * @param requestedBy  who asked for the last manual rotation (the caller's verified email)
 * @param reason       why they asked
 * @param pendingKeys  ids of service-account keys this secret's attempts made that are neither committed nor
 *                     undone yet, written right after each create (a write-ahead record, as in Vault's GCP
 *                     secrets engine): a later attempt deletes exactly these and never "every key made since
 *                     a time". Bounded by Google's limit of 10 keys per account: a create beyond it fails,
 *                     and every mint first deletes the pending keys of earlier attempts.
 * @param rolled       the version each consumer last confirmed serving, by target. A consumer whose entry is not
 *                     {@code current} has not rolled yet, and its version is held: retirement never touches it
 *                     (except an emergency revoke). One entry per declared consumer, so the record stays bounded.
 * @param identity     what the credential is and whose ({@link #identityOf}: kind, account, audience), as declared
 *                     when the last attempt claimed the secret; null in records written before it was kept. A
 *                     declaration that names another identity is a change mid-rotation (docs/design.md §1.1).
 */
@Serdeable
public record RotationState(
        Phase phase,
        @Nullable Long current,
        @Nullable Long previous,
        @Nullable Instant rotatedAt,
        @Nullable Instant expiresAt,
        @Nullable Map<String, String> keyIds,
        @Nullable String lastOutcome,
        int attempts,
        @Nullable String attemptId,
        @Nullable Instant claimedAt,
        @Nullable String leaseHolder,
        @Nullable Instant leaseExpiry,
        @Nullable Instant retireAt,
        boolean revokePending,
        @Nullable String requestedBy,
        @Nullable String reason,
        @Nullable List<String> pendingKeys,
        @Nullable Map<String, Long> rolled,
        @Nullable String identity) {

    public enum Phase { IDLE, ROTATING, ROLLING }

    public static final RotationState NEW = new RotationState(Phase.IDLE, null, null, null, null, Map.of(), null,
            0, null, null, null, null, null, false, null, null, List.of(), Map.of(), null);

    @Creator
    public RotationState {
        phase = phase == null ? Phase.IDLE : phase;
        keyIds = keyIds == null ? Map.of() : Map.copyOf(keyIds);
        pendingKeys = pendingKeys == null ? List.of() : List.copyOf(new LinkedHashSet<>(pendingKeys));
        rolled = rolled == null ? Map.of() : Map.copyOf(rolled);
    }

    /** The state without pending keys and roll records (records written before they were tracked). */
    public RotationState(Phase phase, Long current, Long previous, Instant rotatedAt, Instant expiresAt,
                         Map<String, String> keyIds, String lastOutcome, int attempts, String attemptId,
                         Instant claimedAt, String leaseHolder, Instant leaseExpiry, Instant retireAt,
                         boolean revokePending, String requestedBy, String reason) {
        this(phase, current, previous, rotatedAt, expiresAt, keyIds, lastOutcome, attempts, attemptId, claimedAt,
                leaseHolder, leaseExpiry, retireAt, revokePending, requestedBy, reason, List.of(), Map.of(), null);
    }

    /** The state without the credential's identity (records written before it was tracked). */
    public RotationState(Phase phase, Long current, Long previous, Instant rotatedAt, Instant expiresAt,
                         Map<String, String> keyIds, String lastOutcome, int attempts, String attemptId,
                         Instant claimedAt, String leaseHolder, Instant leaseExpiry, Instant retireAt,
                         boolean revokePending, String requestedBy, String reason, List<String> pendingKeys,
                         Map<String, Long> rolled) {
        this(phase, current, previous, rotatedAt, expiresAt, keyIds, lastOutcome, attempts, attemptId, claimedAt,
                leaseHolder, leaseExpiry, retireAt, revokePending, requestedBy, reason, pendingKeys, rolled, null);
    }

    /** The credential a policy declares: kind, service account and audience (what a version's payload is). */
    public static String identityOf(Policy policy) {
        return policy.kind().label() + ":" + policy.serviceAccount().orElse("") + ":" + policy.audience().orElse("");
    }

    /** Whether the recorded identity is unknown or the one {@code policy} declares. */
    public boolean sameIdentity(Policy policy) {
        return identity == null || identity.equals(identityOf(policy));
    }

    /** The state with {@code policy}'s identity recorded, as a claim writes it. */
    public RotationState identified(Policy policy) {
        return new RotationState(phase, current, previous, rotatedAt, expiresAt, keyIds, lastOutcome, attempts,
                attemptId, claimedAt, leaseHolder, leaseExpiry, retireAt, revokePending, requestedBy, reason,
                pendingKeys, rolled, identityOf(policy));
    }

    /**
     * Versions that a declared consumer which has not yet rolled to {@code current} still serves: never retired.
     * A consumer with no record was declared after the last commit, which records every consumer declared then:
     * it is taken to serve {@code previous}, the version that was current before. A consumer no longer declared
     * holds nothing, so one removed while its roll kept failing does not keep a version from retiring.
     */
    public Set<Long> held(List<String> consumers) {
        Set<Long> held = new TreeSet<>();
        for (String c : consumers) {
            Long served = rolled.containsKey(c) ? rolled.get(c) : previous;
            if (served != null && !served.equals(current)) {
                held.add(served);
            }
        }
        return held;
    }

    /** The declared consumers that do not yet serve {@code current}, in declaration order. */
    public List<String> unrolled(List<String> consumers) {
        return consumers.stream().filter(c -> current == null || !current.equals(rolled.get(c))).toList();
    }

    public RotationState withRolled(Map<String, Long> byTarget) {
        return new RotationState(phase, current, previous, rotatedAt, expiresAt, keyIds, lastOutcome, attempts,
                attemptId, claimedAt, leaseHolder, leaseExpiry, retireAt, revokePending, requestedBy, reason,
                pendingKeys, byTarget, identity);
    }

    /** The lease given back after an attempt: IDLE when every consumer rolled, else ROLLING until they do. */
    public RotationState settled(Phase next, String outcome, @Nullable Instant nextRetire, boolean revokeStillPending) {
        return new RotationState(next, current, previous, rotatedAt, expiresAt, keyIds, outcome, attempts,
                attemptId, claimedAt, null, null, nextRetire, revokeStillPending, requestedBy, reason, pendingKeys,
                rolled, identity);
    }

    public boolean leased(Instant now) {
        return leaseHolder != null && leaseExpiry != null && leaseExpiry.isAfter(now);
    }

    /**
     * A new attempt's claim. While earlier attempts left the phase at ROTATING, {@code claimedAt} keeps the
     * first of them: anything any of them added was made no earlier, so adoption still finds it.
     */
    public RotationState claimed(String holder, String attempt, Instant now, Instant expiry) {
        Instant since = phase == Phase.ROTATING && claimedAt != null ? claimedAt : now;
        return new RotationState(Phase.ROTATING, current, previous, rotatedAt, expiresAt, keyIds, lastOutcome,
                attempts + 1, attempt, since, holder, expiry, retireAt, revokePending, requestedBy, reason,
                pendingKeys, rolled, identity);
    }

    /** Records a key an attempt just made, or forgets one that was committed or deleted. */
    public RotationState withPendingKeys(List<String> keys) {
        return new RotationState(phase, current, previous, rotatedAt, expiresAt, keyIds, lastOutcome, attempts,
                attemptId, claimedAt, leaseHolder, leaseExpiry, retireAt, revokePending, requestedBy, reason, keys, rolled, identity);
    }

    public RotationState withLease(String holder, Instant expiry) {
        return new RotationState(phase, current, previous, rotatedAt, expiresAt, keyIds, lastOutcome, attempts,
                attemptId, claimedAt, holder, expiry, retireAt, revokePending, requestedBy, reason, pendingKeys, rolled, identity);
    }

    public RotationState committed(long version, Instant now, @Nullable Instant expiry, Map<String, String> keys,
                                   Phase next, @Nullable Instant nextRetire) {
        boolean released = next == Phase.IDLE;
        return new RotationState(next, version, current, now, expiry, keys, "rotated", 0, attemptId, claimedAt,
                released ? null : leaseHolder, released ? null : leaseExpiry, nextRetire, !released && revokePending,
                requestedBy, reason, pendingKeys.stream().filter(k -> !keys.containsValue(k)).toList(),
                rolled, identity);
    }

    public RotationState idle(String outcome, @Nullable Instant nextRetire) {
        return new RotationState(Phase.IDLE, current, previous, rotatedAt, expiresAt, keyIds, outcome, attempts,
                attemptId, claimedAt, null, null, nextRetire, false, requestedBy, reason, pendingKeys, rolled, identity);
    }

    public RotationState failed(String outcome) {
        return new RotationState(phase, current, previous, rotatedAt, expiresAt, keyIds, outcome, attempts,
                attemptId, claimedAt, null, null, retireAt, revokePending, requestedBy, reason, pendingKeys, rolled, identity);
    }

    /** Records who asked for a manual rotation and why. */
    public RotationState requested(String by, String why) {
        return new RotationState(phase, current, previous, rotatedAt, expiresAt, keyIds, lastOutcome, attempts,
                attemptId, claimedAt, leaseHolder, leaseExpiry, retireAt, revokePending, by, why, pendingKeys, rolled, identity);
    }

    public RotationState revoking(boolean revoke) {
        return new RotationState(phase, current, previous, rotatedAt, expiresAt, keyIds, lastOutcome, attempts,
                attemptId, claimedAt, leaseHolder, leaseExpiry, retireAt, revoke, requestedBy, reason, pendingKeys, rolled, identity);
    }
}
