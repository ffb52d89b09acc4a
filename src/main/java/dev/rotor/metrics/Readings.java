package dev.rotor.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The gauges of one run, replaced as a whole by the next: a secret, account or tag value the run no longer saw
 * loses its gauge, so a deleted secret does not report forever. Ages and times left are computed from the
 * instant when the gauge is read (a scrape or a publish), with the injected clock, so they move with time
 * between runs.
 */
final class Readings {
    /** One gauge's value: a fixed number, the seconds since an instant, or the seconds until one. */
    record Reading(String name, Tags tags, double value, Instant since, Instant until) {
        static Reading value(String name, Tags tags, double value) {
            return new Reading(name, tags, value, null, null);
        }

        static Reading since(String name, Tags tags, Instant since) {
            return new Reading(name, tags, 0, since, null);
        }

        static Reading until(String name, Tags tags, Instant until) {
            return new Reading(name, tags, 0, null, until);
        }

        double at(Instant now) {
            if (since != null) {
                return Duration.between(since, now).toSeconds();
            }
            if (until != null) {
                return Duration.between(now, until).toSeconds();
            }
            return value;
        }
    }

    private record Key(String name, Tags tags) {
    }

    private static final class Holder {
        volatile Reading reading;
        Gauge gauge;
    }

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<Key, Holder> gauges = new HashMap<>();

    Readings(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Sets every reading and removes the gauges of the previous set that this one does not have. */
    synchronized void replace(Iterable<Reading> readings) {
        Set<Key> seen = new HashSet<>();
        for (Reading r : readings) {
            Key key = new Key(r.name(), r.tags());
            seen.add(key);
            Holder h = gauges.computeIfAbsent(key, k -> new Holder());
            h.reading = r;
            if (h.gauge == null) {
                h.gauge = Gauge.builder(r.name(), h, x -> x.reading.at(clock.instant())).tags(r.tags())
                        .baseUnit(r.since() != null || r.until() != null ? "seconds" : null).register(registry);
            }
        }
        gauges.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue().gauge);
            return true;
        });
    }
}
