package dev.rotor.secret;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How {@link Retrier} retries Rotor's own idempotent Secret Manager sequences on a retryable status, on
 * top of the client library's per-call retries (gcp-api-facts §1.10).
 *
 * @param attempts  tries in all, at least 1 (1: no retry)
 * @param baseDelay cap of the first back-off; each further one doubles it (full jitter)
 */
@ConfigurationProperties("rotor.retry")
public record RetryProperties(
        @Bindable(defaultValue = RetryProperties.DEFAULT_ATTEMPTS) int attempts,
        @Bindable(defaultValue = RetryProperties.DEFAULT_BASE_DELAY) Duration baseDelay) {

    public static final String DEFAULT_ATTEMPTS = "4";
    public static final String DEFAULT_BASE_DELAY = "200ms";

    public RetryProperties {
        if (attempts < 1 || attempts > 20) {
            throw new IllegalArgumentException("rotor.retry.attempts must be between 1 and 20, not " + attempts);
        }
        if (baseDelay.isNegative() || baseDelay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("rotor.retry.base-delay must be between 0 and 1 min, not " + baseDelay);
        }
    }
}
