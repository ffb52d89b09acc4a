package dev.rotor.rotation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How one secret's consumers are rolled: how many at once, how long one may take before it counts as failed,
 * and how often the engine looks at the running rolls (to renew the lease and enforce the timeout).
 *
 * @param concurrency consumers of one secret rolled at once
 * @param timeout     a roll not finished by then counts as failed, like any other failed roll
 * @param checkEvery  how often the engine checks the running rolls
 */
@ConfigurationProperties("rotor.roll")
public record RollProperties(
        @Bindable(defaultValue = "" + DEFAULT_CONCURRENCY) int concurrency,
        @Bindable(defaultValue = DEFAULT_TIMEOUT) Duration timeout,
        @Bindable(defaultValue = DEFAULT_CHECK_EVERY) Duration checkEvery) {

    public static final int DEFAULT_CONCURRENCY = 4;
    public static final String DEFAULT_TIMEOUT = "PT15M";
    public static final String DEFAULT_CHECK_EVERY = "PT1S";

    public RollProperties {
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("rotor.roll.concurrency must be between 1 and 64, not " + concurrency);
        }
        if (timeout.isNegative() || timeout.isZero() || checkEvery.isNegative() || checkEvery.isZero()) {
            throw new IllegalArgumentException("rotor.roll.timeout and rotor.roll.check-every must be positive");
        }
    }
}
