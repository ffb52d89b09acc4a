package dev.rotor.secret;

import dev.rotor.error.RemoteException;
import io.micronaut.context.annotation.Property;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries idempotent calls on {@link RemoteException.Retryable} with exponential back-off and full jitter.
 * Never used for AddSecretVersion: a timed-out add may have created a version (gcp-api-facts §1.10).
 */
@Singleton
public final class Retrier {
    private final int attempts;
    private final Duration base;

    public Retrier(@Property(name = "rotor.retry.attempts", defaultValue = "4") int attempts,
                   @Property(name = "rotor.retry.base-delay", defaultValue = "200ms") Duration base) {
        this.attempts = Math.max(1, attempts);
        this.base = base;
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
