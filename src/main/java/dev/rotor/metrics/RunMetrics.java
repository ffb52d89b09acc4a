package dev.rotor.metrics;

import dev.rotor.policy.Kind;
import dev.rotor.policy.Policy;
import dev.rotor.policy.RotationState;
import dev.rotor.rotation.RunFinished;
import dev.rotor.rotation.SecretResult;
import dev.rotor.secret.QuotaBackoff;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns the end of a run ({@link RunFinished}) into Rotor's meters (docs/observability.md, the contract in
 * docs/design.md), from what the run already read: its report and every listed secret's declaration and state.
 * Then publishes to Cloud Monitoring at once, before the run's response, because Cloud Run may take the CPU away
 * right after it. A failure here is logged and never fails the run.
 */
@Singleton
final class RunMetrics {
    static final String ROTATIONS = "rotor.rotations";
    static final String DURATION = "rotor.rotation.duration";
    static final String FAILURES = "rotor.rotation.failures.consecutive";
    static final String EXPIRY = "rotor.credential.expiry";
    static final String VERSION_AGE = "rotor.version.age";
    static final String KEY_AGE = "rotor.key.age";
    static final String OLDEST_KEY = "rotor.account.key.oldest.age";
    static final String MISCONFIGURED = "rotor.declarations.misconfigured";
    static final String UNROLLED = "rotor.consumers.unrolled";
    static final String UNROLLED_AGE = "rotor.consumers.unrolled.age";
    static final String BACKOFFS = "rotor.quota.backoffs";
    static final String RUN_COMPLETED = "rotor.run.completed";
    /** The kind tag of a secret whose declaration names no kind Rotor knows. */
    static final String NO_KIND = "none";
    private static final Logger LOG = LoggerFactory.getLogger(RunMetrics.class);
    private static final Set<String> DID_WORK = Set.of(SecretResult.ROTATED, SecretResult.RETIRED, SecretResult.FAILED);

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final Optional<CloudMonitoringRegistry> cloud;
    private final KeyListings keys;
    private final Readings readings;
    private final AtomicReference<String> lastOutcome = new AtomicReference<>();
    private Gauge completedLocally;

    RunMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus, Optional<CloudMonitoringRegistry> cloud,
               KeyListings keys, Clock clock) {
        this.registry = registry;
        this.prometheus = prometheus;
        this.cloud = cloud;
        this.keys = keys;
        this.readings = new Readings(registry, clock);
    }

    @EventListener
    void onQuotaBackoff(QuotaBackoff backoff) {
        registry.counter(BACKOFFS, "service", backoff.service()).increment();
    }

    @EventListener
    void onRunFinished(RunFinished run) {
        try {
            record(run);
        } catch (RuntimeException e) {
            LOG.warn("the metrics of run {} could not be recorded: {}", run.report().runId(), e.toString());
        }
    }

    private void record(RunFinished run) {
        Map<String, SecretResult> results = new HashMap<>();
        for (SecretResult r : run.report().secrets()) {
            Tags tags = Tags.of("project", r.project(), "secret", r.secret(), "kind", r.kind() == null ? NO_KIND : r.kind());
            registry.counter(ROTATIONS, tags.and("outcome", r.outcome())).increment();
            if (DID_WORK.contains(r.outcome())) {
                Timer.builder(DURATION).tags(tags).register(registry).record(Duration.ofMillis(r.durationMs()));
            }
            results.put(r.project() + "/" + r.secret(), r);
        }
        List<Readings.Reading> now = new ArrayList<>();
        Map<Tags, java.time.Instant> oldestKeys = new HashMap<>();
        for (RunFinished.Seen s : run.secrets()) {
            secret(s, results.get(s.ref().project() + "/" + s.ref().secret()), now, oldestKeys);
        }
        oldestKeys.forEach((tags, oldest) -> now.add(Readings.Reading.since(OLDEST_KEY, tags, oldest)));
        readings.replace(now);
        completed(run.report().anyFailed() ? "failed" : "ok");
    }

    private void secret(RunFinished.Seen s, SecretResult result, List<Readings.Reading> out,
                        Map<Tags, java.time.Instant> oldestKeys) {
        Policy p = s.policy();
        Tags tags = Tags.of("project", s.ref().project(), "secret", s.ref().secret(),
                "kind", p == null ? NO_KIND : p.kind().label());
        boolean misconfigured = s.misconfigured()
                || result != null && result.outcome().equals(SecretResult.MISCONFIGURED);
        out.add(Readings.Reading.value(MISCONFIGURED, tags, misconfigured ? 1 : 0));
        RotationState state = s.state();
        if (p == null || state == null) {
            return;
        }
        out.add(Readings.Reading.value(FAILURES, tags, failuresInARow(state, result)));
        if (state.expiresAt() != null) {
            out.add(Readings.Reading.until(EXPIRY, tags, state.expiresAt()));
        }
        if (state.rotatedAt() != null) {
            out.add(Readings.Reading.since(VERSION_AGE, tags, state.rotatedAt()));
        }
        if (p.kind() == Kind.SERVICE_ACCOUNT_KEY && state.current() != null && state.rotatedAt() != null) {
            String keyId = state.keyIds().get(state.current().toString());
            out.add(Readings.Reading.since(KEY_AGE, tags,
                    keyId == null ? state.rotatedAt() : keys.created(keyId).orElse(state.rotatedAt())));
        }
        List<String> unrolled = state.current() == null ? List.of() : state.unrolled(p.consumers());
        out.add(Readings.Reading.value(UNROLLED, tags, unrolled.size()));
        if (!unrolled.isEmpty() && state.rotatedAt() != null) {
            out.add(Readings.Reading.since(UNROLLED_AGE, tags, state.rotatedAt()));
        } else {
            out.add(Readings.Reading.value(UNROLLED_AGE, tags, 0));
        }
        p.serviceAccount().ifPresent(sa -> keys.oldestEnabled(sa).flatMap(o -> o).ifPresent(oldest ->
                oldestKeys.merge(Tags.of("project", s.ref().project(), "account", sa), oldest,
                        (a, b) -> a.isBefore(b) ? a : b)));
    }

    /**
     * From the state, which outlives this instance: the attempts since the last commit when the last outcome is
     * a failure. This run's own outcome decides when it has one: a failure counts at least once, a success is 0.
     */
    static int failuresInARow(RotationState state, SecretResult result) {
        boolean lastFailed = state.lastOutcome() != null && state.lastOutcome().startsWith("failed");
        int recorded = lastFailed ? Math.max(1, state.attempts()) : 0;
        if (result == null) {
            return recorded;
        }
        return switch (result.outcome()) {
            case SecretResult.FAILED -> Math.max(1, recorded);
            case SecretResult.ROTATED, SecretResult.RETIRED, SecretResult.UNCHANGED -> 0;
            default -> recorded;
        };
    }

    /**
     * {@code rotor.run.completed}: 1 for the outcome of the run just finished. In Cloud Monitoring it is written
     * once per run, in the publish that ends it, and then removed, so the registry's timer never repeats it while no
     * run happens, and "no {@code ok} point for three periods" means no successful run. The Prometheus scrape keeps
     * the last run's outcome.
     */
    private void completed(String outcome) {
        String previous = lastOutcome.getAndSet(outcome);
        if (!outcome.equals(previous)) {
            if (completedLocally != null) {
                prometheus.remove(completedLocally);
            }
            completedLocally = Gauge.builder(RUN_COMPLETED, () -> 1).tag("outcome", outcome).register(prometheus);
        }
        cloud.ifPresent(c -> {
            Gauge once = Gauge.builder(RUN_COMPLETED, () -> 1).tag("outcome", outcome).register(c);
            try {
                c.publishNow();
            } finally {
                c.remove(once);
            }
        });
    }
}
