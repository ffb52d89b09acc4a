package dev.rotor.secret;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Client-side pacing of Secret Manager calls per project ({@link QuotaLimiter}). Google's defaults are 600
 * reads and 600 writes a minute per project (gcp-api-facts §1.9); set these to a raised quota, or 0 to
 * turn pacing off.
 *
 * @param writesPerMinute writes (create, add version, update, disable, destroy) a minute per project
 * @param readsPerMinute  reads (get, list) a minute per project; AccessSecretVersion is not paced here, as
 *                        Google counts it apart from the read quota (gcp-api-facts §1.9)
 */
@ConfigurationProperties("rotor.quota.secret-manager")
public record SecretManagerQuotaProperties(
        @Bindable(defaultValue = SecretManagerQuotaProperties.DEFAULT_WRITES_PER_MINUTE) int writesPerMinute,
        @Bindable(defaultValue = SecretManagerQuotaProperties.DEFAULT_READS_PER_MINUTE) int readsPerMinute) {

    public static final String DEFAULT_WRITES_PER_MINUTE = "600";
    public static final String DEFAULT_READS_PER_MINUTE = "600";

    public SecretManagerQuotaProperties {
        if (writesPerMinute < 0 || readsPerMinute < 0) {
            throw new IllegalArgumentException("rotor.quota.secret-manager.writes-per-minute and .reads-per-minute "
                    + "must be 0 (no pacing) or more, not " + writesPerMinute + " and " + readsPerMinute);
        }
    }
}
