package dev.rotor.credential;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Retries an attempt with exponential back-off until it succeeds or a time budget is spent. Used where
 * Google is eventually consistent: a new key needs a minute or more to work, a new IAM grant 2 to 7
 * minutes (gcp-api-facts §3, §4).
 */
public final class Backoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(20);

    private Backoff() {
    }

    /** Calls {@code attempt} until it returns, or throws when a failure is not {@code retryable} or the budget is spent. */
    public static <T> T within(Duration budget, Sleeper sleeper, Predicate<RuntimeException> retryable,
                               Supplier<T> attempt) {
        Duration waited = Duration.ZERO;
        Duration next = FIRST;
        while (true) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (!retryable.test(e) || waited.plus(next).compareTo(budget) > 0) {
                    throw e;
                }
                sleeper.sleep(next);
                waited = waited.plus(next);
                next = next.multipliedBy(2).compareTo(MAX) > 0 ? MAX : next.multipliedBy(2);
            }
        }
    }
}
