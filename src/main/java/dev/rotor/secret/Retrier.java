package dev.rotor.secret;

import dev.rotor.error.RemoteException;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries idempotent calls on {@link RemoteException.Retryable} with exponential back-off and full jitter.
 * Settings in {@link RetryProperties}. Never used for AddSecretVersion: a timed-out add may have created a version (gcp-api-facts §1.10).
 */
@Singleton
public final class Retrier {
    private final int attempts;
    private final Duration base;

    public Retrier(RetryProperties properties) {
        this.attempts = properties.attempts();
        this.base = properties.baseDelay();
    }

    public <T> T call(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RemoteException.Retryable e) {
                if (attempt >= attempts) {
                    throw e;
                }
                sleep(attempt);
            }
        }
    }

    private void sleep(int attempt) {
        long cap = base.toMillis() << Math.min(attempt - 1, 10);
        long millis = ThreadLocalRandom.current().nextLong(cap + 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
