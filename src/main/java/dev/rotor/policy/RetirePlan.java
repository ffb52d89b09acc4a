package dev.rotor.policy;

import dev.rotor.secret.VersionInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which old versions to retire now, and when the next one falls due (DESIGN §3 step 7). Pure. A version is
 * superseded when the next newer version was created; it stays enabled while it is among the
 * {@code keep-enabled} newest enabled versions or within {@code grace} of being superseded (a token version:
 * until it expires); after
 * {@code retain} more it is destroyed. The current version and the newest version are never touched:
 * {@code latest} is the newest in any state, and disabling it would break every reader of {@code latest}.
 */
public record RetirePlan(List<Long> disable, List<Long> destroy, Optional<Instant> nextDue) {

    public boolean isEmpty() {
        return disable.isEmpty() && destroy.isEmpty();
    }

    /**
     * @param versions newest first
     * @param revoke   emergency: disable every enabled version but the current one, now
     * @param scheduledDestroy the secret has a {@code version_destroy_ttl}: retiring a version schedules its
     *                 destruction on Google's side, so nothing more falls due for it
     */
    public static RetirePlan of(List<VersionInfo> versions, long current, Policy policy, Instant now,
                                boolean revoke, boolean scheduledDestroy) {
        List<Long> disable = new ArrayList<>();
        List<Long> destroy = new ArrayList<>();
        Instant next = null;
        long newest = versions.isEmpty() ? current : versions.getFirst().number();
        int enabledKept = 0;
        for (int i = 0; i < versions.size(); i++) {
            VersionInfo v = versions.get(i);
            if (v.number() >= current || v.number() == newest) {
                if (v.enabled()) {
                    enabledKept++;
                }
                continue;
            }
            Instant superseded = versions.get(i - 1).createdAt();
            Instant disableAt = superseded.plus(policy.grace());
            if (policy.kind().isToken()) {
                // a superseded token version is kept exactly until it expires: a dead token helps nobody
                Instant expiry = v.createdAt().plus(policy.lifetime());
                disableAt = expiry.isAfter(superseded) ? expiry : superseded;
            }
            Instant destroyAt = disableAt.plus(policy.retain());
            if (v.state() == VersionInfo.State.ENABLED) {
                boolean beyondKeep = enabledKept >= policy.keepEnabled();
                if (revoke || beyondKeep && !now.isBefore(disableAt)) {
                    disable.add(v.number());
                    if (!scheduledDestroy || revoke) {
                        next = earliest(next, destroyAt.isAfter(now) ? destroyAt : now.plus(policy.retain()));
                    }
                } else {
                    enabledKept++;
                    next = earliest(next, beyondKeep ? disableAt : null);
                }
            } else if (v.state() == VersionInfo.State.DISABLED && v.scheduledDestroy().isEmpty()) {
                if (!now.isBefore(destroyAt)) {
                    destroy.add(v.number());
                } else {
                    next = earliest(next, destroyAt);
                }
            }
        }
        return new RetirePlan(List.copyOf(disable), List.copyOf(destroy), Optional.ofNullable(next));
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
}
