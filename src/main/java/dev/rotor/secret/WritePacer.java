package dev.rotor.secret;

import dev.rotor.credential.Sleeper;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spaces writes to one secret (and to one version) so they stay within Google's per-resource rates
 * ({@link WritePacing}). Each caller reserves the next free slot of its resource and waits for it outside any
 * lock; time comes from the injected clock and waiting from the {@link Sleeper}, so tests move emulated time.
 * Slots of resources idle for a minute are dropped, so the map stays as small as the set of busy secrets.
 */
@Singleton
public final class WritePacer {
    private static final Duration IDLE = Duration.ofMinutes(1);
    private final Duration secretGap;
    private final Duration versionGap;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ApplicationEventPublisher<QuotaBackoff> backoffs;
    private final Map<String, Instant> nextSlot = new ConcurrentHashMap<>();

    public WritePacer(WritePacing pacing, Clock clock, Sleeper sleeper, ApplicationEventPublisher<QuotaBackoff> backoffs) {
        this.backoffs = backoffs;
        this.secretGap = gap(pacing.secretWritesPerSecond());
        this.versionGap = gap(pacing.versionWritesPerSecond());
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Before AddSecretVersion or UpdateSecret on {@code ref}. */
    public void secret(SecretRef ref) {
        await("s|" + ref.name(), secretGap);
    }

    /** Before enabling, disabling or destroying one version. */
    public void version(SecretRef ref, long version) {
        await("v|" + ref.version(version), versionGap);
    }

    /** After a RESOURCE_EXHAUSTED: 1, 2, 4, then 8 s, so the next try falls in a later second and minute window. */
    public void afterRefusal(int attempt) {
        backoffs.publishEvent(new QuotaBackoff(QuotaBackoff.SECRET_MANAGER));
        sleeper.sleep(Duration.ofSeconds(1L << Math.min(attempt, 3)));
    }

    private void await(String key, Duration gap) {
        if (gap == null) {
            return;
        }
        Instant now = clock.instant();
        Instant[] mine = new Instant[1];
        nextSlot.compute(key, (k, next) -> {
            mine[0] = next == null || next.isBefore(now) ? now : next;
            return mine[0].plus(gap);
        });
        if (nextSlot.size() > 1000) {
            nextSlot.values().removeIf(t -> t.plus(IDLE).isBefore(now));
        }
        Duration wait = Duration.between(now, mine[0]);
        if (!wait.isZero() && !wait.isNegative()) {
            sleeper.sleep(wait);
        }
    }

    private static Duration gap(int perSecond) {
        return perSecond <= 0 ? null : Duration.ofNanos(1_000_000_000L / perSecond);
    }
}
