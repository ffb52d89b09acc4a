package dev.rotor.secret;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Per-resource pacing of Secret Manager writes. Google limits a global secret to 2 AddSecretVersion or
 * UpdateSecret calls a second (120 a minute) and each version to 1 enable, disable or destroy a second (60 a
 * minute), on top of the project quotas (https://cloud.google.com/secret-manager/quotas, gcp-api-facts §1.9).
 * A rotation writes one secret several times in quick succession (claim, key record, commit, retirement).
 *
 * @param secretWritesPerSecond  AddSecretVersion and UpdateSecret a second per secret; 0 turns pacing off
 * @param versionWritesPerSecond enable, disable and destroy a second per version; 0 turns pacing off
 * @param quotaRetries           how often a write refused with RESOURCE_EXHAUSTED is tried again: the refusal
 *                               means it did not run, so even AddSecretVersion may be repeated
 */
@ConfigurationProperties("rotor.quota.secret-manager.per-resource")
public record WritePacing(
        @Bindable(defaultValue = "" + WritePacing.DEFAULT_SECRET_WRITES) int secretWritesPerSecond,
        @Bindable(defaultValue = "" + WritePacing.DEFAULT_VERSION_WRITES) int versionWritesPerSecond,
        @Bindable(defaultValue = "" + WritePacing.DEFAULT_QUOTA_RETRIES) int quotaRetries) {
    public static final int DEFAULT_SECRET_WRITES = 2;
    public static final int DEFAULT_VERSION_WRITES = 1;
    public static final int DEFAULT_QUOTA_RETRIES = 4;

    public WritePacing {
        if (secretWritesPerSecond < 0 || versionWritesPerSecond < 0 || quotaRetries < 0) {
            throw new IllegalArgumentException("rotor.quota.secret-manager.per-resource.*: no negative values ("
                    + secretWritesPerSecond + ", " + versionWritesPerSecond + ", " + quotaRetries + ")");
        }
    }
}
