package dev.rotor.local.faults;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Per-project, per-minute request quotas, counted in fixed minute windows of the injected clock. Past a
 * limit the call fails with RESOURCE_EXHAUSTED (gcp-api-facts §1.9). Defaults are Secret Manager's
 * published quotas: 90,000 access, 600 read and 600 write requests a minute per project.
 */
public final class Quotas {
    public static final int SECRET_MANAGER_ACCESS = 90_000;
    public static final int SECRET_MANAGER_READ = 600;
    public static final int SECRET_MANAGER_WRITE = 600;

    private final Clock clock;
    private final UnaryOperator<String> projectKey;
    private final Map<String, Integer> limits = new ConcurrentHashMap<>();
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong rejected = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean enabled = true;

    public Quotas(Clock clock) {
        this(clock, UnaryOperator.identity());
    }

    /**
     * {@code projectKey} maps a project as named in a request (id or number) to one key, so a project has one
     * bucket whichever form its callers use: Google counts quota per project, not per spelling.
     */
    public Quotas(Clock clock, UnaryOperator<String> projectKey) {
        this.clock = clock;
        this.projectKey = projectKey;
        limits.put("secretmanager.access", SECRET_MANAGER_ACCESS);
        limits.put("secretmanager.read", SECRET_MANAGER_READ);
        limits.put("secretmanager.write", SECRET_MANAGER_WRITE);
    }

    public void limit(String category, int perMinute) {
        limits.put(category, perMinute);
    }

    public void enabled(boolean on) {
        enabled = on;
    }

    /** How many calls were refused with RESOURCE_EXHAUSTED. */
    public long rejected() {
        return rejected.get();
    }

    /** Takes one unit of {@code category} for {@code project}; false when the minute's quota is spent. */
    public boolean tryAcquire(String category, String project) {
        Integer limit = limits.get(category);
        if (!enabled || limit == null) {
            return true;
        }
        long minute = clock.millis() / 60_000;
        long[] window = windows.computeIfAbsent(category + "|" + projectKey.apply(project), k -> new long[] {minute, 0});
        synchronized (window) {
            if (window[0] != minute) {
                window[0] = minute;
                window[1] = 0;
            }
            if (window[1] >= limit) {
                rejected.incrementAndGet();
                return false;
            }
            window[1]++;
            return true;
        }
    }
}
