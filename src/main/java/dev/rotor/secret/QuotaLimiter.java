package dev.rotor.secret;

import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Client-side pacing of Secret Manager calls per project, so a burst of due rotations never meets
 * RESOURCE_EXHAUSTED. Google counts 600 reads and 600 writes a minute per project (gcp-api-facts §1.9):
 * a bucket of {@code limit/20} permits refilled at {@code (limit - burst)/60} a second never allows more
 * than {@code limit} in any minute. A limit of 0 turns pacing off
 * ({@link SecretManagerQuotaProperties}).
 */
@Singleton
public final class QuotaLimiter {
    private final int writesPerMinute;
    private final int readsPerMinute;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public QuotaLimiter(SecretManagerQuotaProperties properties) {
        this.writesPerMinute = properties.writesPerMinute();
        this.readsPerMinute = properties.readsPerMinute();
    }

    public void write(String project) {
        acquire("w|" + project, writesPerMinute);
    }

    public void read(String project) {
        acquire("r|" + project, readsPerMinute);
    }

    private void acquire(String key, int perMinute) {
        long waitNanos = reserve(key, perMinute);
        if (waitNanos > 0) {
            LockSupport.parkNanos(waitNanos);
        }
    }

    /** Takes a permit and says how long its caller must wait for it (0: at once). */
    long reserve(String key, int perMinute) {
        return perMinute <= 0 ? 0 : buckets.computeIfAbsent(key, k -> new Bucket(perMinute)).reserve();
    }

    /** A token bucket that hands out reservations: the caller waits its turn outside the lock. */
    private static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long last = System.nanoTime();

        Bucket(int perMinute) {
            this.capacity = Math.max(1, perMinute / 20);
            // a limit of 1 leaves nothing to refill beyond the burst: one permit a minute then, never none (with a
            // refill of 0 the second call waited forever)
            this.perNano = Math.max(1, perMinute - capacity) / (double) TimeUnit.MINUTES.toNanos(1);
            this.tokens = capacity;
        }

        synchronized long reserve() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
            tokens -= 1;
            return tokens >= 0 ? 0 : (long) (-tokens / perNano);
        }
    }
}
