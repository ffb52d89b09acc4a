package dev.rotor.local.faults;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Per-project, per-minute request quotas, counted in fixed minute windows of the injected clock. Past a
 * limit the call fails with RESOURCE_EXHAUSTED (gcp-api-facts §1.9). Defaults are Secret Manager's
 * published quotas: 90,000 access, 600 read and 600 write requests a minute per project. Also, when
 * {@link #perResource(boolean) switched on}, the per-resource limits of
 * https://cloud.google.com/secret-manager/quotas for global secrets: AddSecretVersion and UpdateSecret 2 a
 * second and 120 a minute per secret; Enable, Disable and DestroySecretVersion 1 a second and 60 a minute per
 * version, counted in fixed second and minute windows.
 */
public final class Quotas {
    public static final int SECRET_MANAGER_ACCESS = 90_000;
    public static final int SECRET_MANAGER_READ = 600;
    public static final int SECRET_MANAGER_WRITE = 600;
    /** Per-resource rates: a limit a second and a limit a minute. */
    public record Rate(int perSecond, int perMinute) {
    }
    public static final Rate SECRET_WRITES = new Rate(2, 120);
    public static final Rate VERSION_WRITES = new Rate(1, 60);

    private final Clock clock;
    private final UnaryOperator<String> projectKey;
    private final Map<String, Integer> limits = new ConcurrentHashMap<>();
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong rejected = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, Rate> rates = new ConcurrentHashMap<>(Map.of(
            "secretmanager.secret-write", SECRET_WRITES, "secretmanager.version-write", VERSION_WRITES));
    private final Map<String, long[]> resourceWindows = new ConcurrentHashMap<>();
    private volatile boolean enabled = true;
    private volatile boolean perResource = true;

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

    /** Switches the per-secret and per-version write rates on or off (the project quotas stay as they are). */
    public void perResource(boolean on) {
        perResource = on;
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

    /** Takes one unit of a per-resource rate ({@code category} from {@code QuotaCategories}); false when spent. */
    public boolean tryAcquireResource(String category, String resource) {
        Rate rate = rates.get(category);
        if (!enabled || !perResource || rate == null || resource.isEmpty()) {
            return true;
        }
        long millis = clock.millis();
        long second = millis / 1000;
        long minute = millis / 60_000;
        long[] w = resourceWindows.computeIfAbsent(category + "|" + oneSpelling(resource),
                k -> new long[] {second, 0, minute, 0});
        synchronized (w) {
            if (w[0] != second) {
                w[0] = second;
                w[1] = 0;
            }
            if (w[2] != minute) {
                w[2] = minute;
                w[3] = 0;
            }
            if (w[1] >= rate.perSecond() || w[3] >= rate.perMinute()) {
                rejected.incrementAndGet();
                return false;
            }
            w[1]++;
            w[3]++;
            return true;
        }
    }

    /** {@code projects/<id or number>/rest} with the project as {@code projectKey} names it: one secret, one count. */
    private String oneSpelling(String resource) {
        if (!resource.startsWith("projects/")) {
            return resource;
        }
        int end = resource.indexOf('/', "projects/".length());
        String project = end < 0 ? resource.substring(9) : resource.substring(9, end);
        return "projects/" + projectKey.apply(project) + (end < 0 ? "" : resource.substring(end));
    }
}
