package dev.rotor.gcp;

import com.google.api.core.ApiFunction;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.UnaryCallSettings;

/**
 * Applies the configured timeout, attempts and back-off to every unary method of a client, keeping each
 * method's own retryable codes. That matters: Secret Manager retries only AccessSecretVersion by default
 * (gcp-api-facts §1.10), and AddSecretVersion must never be retried blindly, since a timed-out add may
 * have created a version.
 */
final class CallTuning {
    private CallTuning() {
    }

    static ApiFunction<UnaryCallSettings.Builder<?, ?>, Void> from(GcpServiceProperties p) {
        return method -> {
            method.setRetrySettings(tune(method.getRetrySettings(), p));
            return null;
        };
    }

    static RetrySettings tune(RetrySettings defaults, GcpServiceProperties p) {
        RetrySettings.Builder b = defaults.toBuilder();
        if (p.timeout() != null) {
            b.setTotalTimeoutDuration(p.timeout())
                    .setInitialRpcTimeoutDuration(p.timeout())
                    .setMaxRpcTimeoutDuration(p.timeout());
        }
        if (p.maxAttempts() != null) {
            b.setMaxAttempts(p.maxAttempts());
        }
        if (p.initialBackoff() != null) {
            b.setInitialRetryDelayDuration(p.initialBackoff());
            if (defaults.getMaxRetryDelayDuration().compareTo(p.initialBackoff()) < 0) {
                b.setMaxRetryDelayDuration(p.initialBackoff());
            }
        }
        return b.build();
    }
}
