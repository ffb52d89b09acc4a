package dev.rotor.rotation;

import dev.rotor.policy.Due;
import dev.rotor.policy.Kind;
import dev.rotor.policy.Policy;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretStore;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * One pass (DESIGN §2): list the managed secrets of every configured project, decide from their annotations
 * alone what is due, and act on the due ones only, a bounded number at a time. A misconfigured or failing
 * secret is reported and the others go on. A run that is not a dry run ends with a {@link RunFinished} event
 * (the metrics); every step of it logs with the run id in the MDC key {@value StateLog#RUN}.
 */
@Singleton
public final class RunService {
    private static final Logger LOG = LoggerFactory.getLogger(RunService.class);

    private final SecretStore store;
    private final Rotator rotator;
    private final RotationProperties properties;
    private final Clock clock;
    private final ApplicationEventPublisher<RunFinished> events;
    private final OwnWrites ownWrites;

    @Inject
    public RunService(SecretStore store, Rotator rotator, RotationProperties properties, Clock clock,
                      ApplicationEventPublisher<RunFinished> events, OwnWrites ownWrites) {
        this.store = store;
        this.rotator = rotator;
        this.properties = properties;
        this.clock = clock;
        this.events = events;
        this.ownWrites = ownWrites;
    }

    /** A run with no observers, for tests of the engine alone. */
    public RunService(SecretStore store, Rotator rotator, RotationProperties properties, Clock clock) {
        this(store, rotator, properties, clock, ApplicationEventPublisher.noOp(), new OwnWrites());
    }

    /** What to run: a kind filter (empty: all) and whether to only report what would be done. */
    public record RunRequest(String runId, Set<Kind> kinds, boolean dryRun) {
    }

    public RunReport run(RunRequest request) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable(StateLog.RUN, request.runId())) {
            return pass(request);
        }
    }

    private RunReport pass(RunRequest request) {
        Instant started = clock.instant();
        List<SecretResult> results = new ArrayList<>();
        List<Work> due = new ArrayList<>();
        List<ManagedSecret> listed = new ArrayList<>();
        for (String project : properties.projects()) {
            for (ManagedSecret secret : store.listManaged(project)) {
                listed.add(secret);
                Work work = evaluate(secret, request, results);
                if (work != null) {
                    due.add(work);
                }
            }
        }
        if (request.dryRun()) {
            due.forEach(w -> results.add(w.planned()));
        } else {
            results.addAll(act(due, request.runId()));
        }
        RunReport report = new RunReport(request.runId(), started, clock.instant(), request.dryRun(),
                RunReport.Summary.of(results), List.copyOf(results));
        LOG.info("run {} finished: {}", request.runId(), report.summary());
        if (!request.dryRun()) {
            // the run's own writes are already in OwnWrites: what each secret looks like now, with no extra call
            events.publishEvent(new RunFinished(report, listed.stream().map(ownWrites::fresher).map(RunFinished::seen)
                    .toList()));
        }
        return report;
    }

    private record Work(ManagedSecret secret, Policy policy, RotationState state, Due.Decision decision) {
        SecretResult planned() {
            return new SecretResult(secret.ref().project(), secret.ref().secret(), policy.kind().label(),
                    decision.action().name().toLowerCase(), SecretResult.PLANNED, state.current(), null, List.of(),
                    null, 0);
        }
    }

    private Work evaluate(ManagedSecret secret, RunRequest request, List<SecretResult> results) {
        Declared d = Declared.read(secret);
        Kind kind = d.policy() == null ? null : d.policy().kind();
        if (kind != null && !request.kinds().isEmpty() && !request.kinds().contains(kind)) {
            return null;
        }
        if (!d.ok() || Declared.cmekMissing(d.policy(), secret)) {
            results.add(simple(secret, kind, SecretResult.MISCONFIGURED, d.ok() ? Declared.CMEK_MISSING : d.problem()));
            return null;
        }
        Due.Decision decision = Due.evaluate(d.policy(), d.state(), clock.instant());
        return switch (decision.action()) {
            case NONE -> StateFence.lost(secret.aliases(), d.state())
                    ? new Work(secret, d.policy(), d.state(), new Due.Decision(Due.Action.RETIRE,
                    "Rotor's aliases were removed; the next state write puts them back", Optional.of(clock.instant())))
                    : null;
            case LOCKED -> {
                results.add(simple(secret, kind, SecretResult.SKIPPED_LOCKED, null));
                yield null;
            }
            default -> new Work(secret, d.policy(), d.state(), decision);
        };
    }

    private List<SecretResult> act(List<Work> due, String runId) {
        List<SecretResult> results = new ArrayList<>();
        Semaphore slots = new Semaphore(properties.concurrency());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SecretResult>> futures = new ArrayList<>();
            for (Work w : due) {
                futures.add(executor.submit(() -> {
                    slots.acquire();
                    try (MDC.MDCCloseable ignored = MDC.putCloseable(StateLog.RUN, runId)) {
                        return w.decision().action() == Due.Action.RETIRE
                                ? rotator.retireOnly(w.secret(), w.policy(), w.state())
                                : rotator.rotate(w.secret(), w.policy(), w.state(), new Rotator.Request(runId, false,
                                w.decision().action() == Due.Action.ROTATE));
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<SecretResult> f : futures) {
                results.add(get(f));
            }
        }
        return results;
    }

    private static SecretResult get(Future<SecretResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("run interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("rotation crashed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static SecretResult simple(ManagedSecret s, Kind kind, String outcome, String error) {
        return new SecretResult(s.ref().project(), s.ref().secret(), kind == null ? null : kind.label(), "none",
                outcome, null, null, List.of(), error, 0);
    }
}
