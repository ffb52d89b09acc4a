package dev.rotor.local;

import io.micronaut.context.ApplicationContext;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A Rotor bean context wired to a fresh in-process emulator and a clock the test moves. The Google clients
 * come from the production factories; only the channel seam points at the emulator.
 */
public final class EmulatedContext implements AutoCloseable {
    public static final Instant START = Instant.parse("2026-01-05T10:00:00Z");
    public final MutableClock clock = new MutableClock(START);
    public final ApplicationContext context;
    public final Emulator emulator;

    public EmulatedContext() {
        this(Map.of());
    }

    public EmulatedContext(Map<String, Object> extra) {
        this(extra, Map.of());
    }

    /** {@code singletons} replace the beans of their type, e.g. a step hook that simulates crashes. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public EmulatedContext(Map<String, Object> extra, Map<Class<?>, Object> singletons) {
        Map<String, Object> props = new HashMap<>(Map.of(
                "rotor.emulator.enabled", "true",
                "rotor.credentials", "none",
                // fast client back-off, so retried calls do not sleep for seconds
                "rotor.gcp.secret-manager.initial-backoff", "5ms",
                "rotor.gcp.secret-manager.max-attempts", "3",
                "rotor.gcp.cloud-run.initial-backoff", "5ms",
                // The clock stands still unless a test moves it, so every write would fall in one second of
                // Google's per-secret write rate; tests of that rate switch both sides back on.
                "rotor.emulator.per-secret-write-limits", "false",
                "rotor.quota.secret-manager.per-resource.secret-writes-per-second", "0",
                "rotor.quota.secret-manager.per-resource.version-writes-per-second", "0"));
        props.putAll(extra);
        context = ApplicationContext.builder("test").properties(props).build();
        context.registerSingleton(Clock.class, (Clock) singletons.getOrDefault(Clock.class, clock));
        singletons.forEach((type, bean) -> {
            if (type != Clock.class) {
                context.registerSingleton((Class) type, bean);
            }
        });
        context.start();
        emulator = context.getBean(Emulator.class);
    }

    /** Starts Rotor's HTTP server on a free port and returns its base URL. */
    public String startServer() {
        io.micronaut.runtime.server.EmbeddedServer server = context.getBean(io.micronaut.runtime.server.EmbeddedServer.class);
        server.start();
        return server.getURL().toString();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
