package dev.rotor.local;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * The embedded emulator's settings (local mode and tests), so faults and delays can be set without code.
 *
 * @param port               also serve on this loopback port (0: any free one); none: in-process only
 * @param latency            added to every RPC
 * @param faults             injected errors, each {@code Method=CODE}, then {@code *N} (the next N calls),
 *                           {@code @F} (a fraction F of calls) or nothing (the next call), and {@code /after}
 *                           to fail after the call took effect; e.g. {@code AddSecretVersion=UNAVAILABLE*2}
 * @param quotasEnabled      enforce per-minute quotas
 * @param quotaLimits        per-minute limits as {@code category=limit}, e.g. {@code secretmanager.write=600}
 * @param keyPropagation     how long a new service-account key takes to work
 * @param revisionReadyDelay how long a new Cloud Run revision takes to become ready
 * @param listLag            how long a new secret version or service-account key is missing from lists while
 *                           Get already finds it (Google's lists are eventually consistent)
 * @param keyExpiryHours     the organisation policy {@code iam.serviceAccountKeyExpiryHours}: new keys expire
 *                           this many hours after creation (8 to 2160); none: keys never expire
 * @param perSecretWriteLimits enforce Secret Manager's per-secret and per-version write rates (2 a second per
 *                           secret for add and update, 1 a second per version for enable, disable, destroy)
 */
@ConfigurationProperties("rotor.emulator")
public record EmulatorProperties(
        @Nullable Integer port,
        @Bindable(defaultValue = "0s") Duration latency,
        @Bindable(defaultValue = "") List<String> faults,
        @Bindable(defaultValue = "true") boolean quotasEnabled,
        @Bindable(defaultValue = "") List<String> quotaLimits,
        @Bindable(defaultValue = "0s") Duration keyPropagation,
        @Bindable(defaultValue = "0s") Duration revisionReadyDelay,
        @Bindable(defaultValue = "0s") Duration listLag,
        @Nullable Integer keyExpiryHours,
        @Bindable(defaultValue = "true") boolean perSecretWriteLimits) {
    public EmulatorProperties {
        if (keyExpiryHours != null && (keyExpiryHours < 8 || keyExpiryHours > 2160)) {
            throw new IllegalArgumentException("rotor.emulator.key-expiry-hours: " + keyExpiryHours
                    + " is outside what constraints/iam.serviceAccountKeyExpiryHours allows (8 to 2160)");
        }
    }
}
