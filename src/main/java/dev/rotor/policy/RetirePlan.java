package dev.rotor.policy;

import dev.rotor.secret.VersionInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which old versions to retire now, and when the next one falls due (DESIGN §3 step 7). Pure. A version is
 * superseded when the next newer version was created. Both {@code grace} and {@code keep-enabled} are upper
 * bounds: a superseded version is disabled when its grace ends (a token version: when it expires, if that is
 * sooner), or earlier when it falls outside the {@code keep-enabled} newest enabled versions; after
 * {@code retain} more it is destroyed. Never touched: the current version, the newest version ({@code latest}
 * is the newest in any state, and disabling it would break every reader of {@code latest}), and, except in an
 * emergency revoke, the versions a consumer that has not rolled yet still serves.
 */
public record RetirePlan(List<Long> disable, List<Long> destroy, Optional<Instant> nextDue) {

    public boolean isEmpty() {
        return disable.isEmpty() && destroy.isEmpty();
    }

    /**
     * @param versions newest first; a list may lag behind a version just added (gcp-api-facts §1.7), so the
     *                 newest is never taken to be older than {@code current}, which is known by its number
     * @param held     versions that consumers which have not rolled still serve
     * @param revoke   emergency: disable every enabled version but the current and the newest one, now
     * @param scheduledDestroy the secret has a {@code version_destroy_ttl}: retiring a version schedules its
     *                 destruction on Google's side, so nothing more falls due for it
     */
    public static RetirePlan of(List<VersionInfo> versions, long current, Set<Long> held, Policy policy,
                                Instant now, boolean revoke, boolean scheduledDestroy) {
        List<Long> disable = new ArrayList<>();
        List<Long> destroy = new ArrayList<>();
        Instant next = null;
        long newest = versions.isEmpty() ? current : Math.max(current, versions.getFirst().number());
        int enabledKept = 0;
        for (int i = 0; i < versions.size(); i++) {
            VersionInfo v = versions.get(i);
            if (held.contains(v.number()) && !revoke && v.number() < current && v.number() != newest) {
                continue; // held for a consumer that has not rolled; it does not take a keep-enabled place
            }
            if (v.number() >= current || v.number() == newest) {
                if (v.enabled()) {
                    enabledKept++;
                }
                continue;
            }
            // the version that superseded this one; when the list lags behind it, grace starts now
            Instant superseded = i == 0 ? now : versions.get(i - 1).createdAt();
            Instant disableAt = superseded.plus(policy.grace());
            if (policy.kind().isToken()) {
                // a dead token helps nobody: a superseded token version goes when it expires, if that is sooner
                Instant expiry = v.createdAt().plus(policy.lifetime());
                disableAt = earliest(disableAt, expiry.isAfter(superseded) ? expiry : superseded);
            }
            Instant destroyAt = disableAt.plus(policy.retain());
            if (v.state() == VersionInfo.State.ENABLED) {
                boolean beyondKeep = enabledKept >= policy.keepEnabled();
                if (revoke || beyondKeep || !now.isBefore(disableAt)) {
                    disable.add(v.number());
                    if (!scheduledDestroy || revoke) {
                        next = earliest(next, destroyAt.isAfter(now) ? destroyAt : now.plus(policy.retain()));
                    }
                } else {
                    enabledKept++;
                    next = earliest(next, disableAt);
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
