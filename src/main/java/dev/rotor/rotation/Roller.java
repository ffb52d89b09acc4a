package dev.rotor.rotation;

import dev.rotor.consumer.Consumers;
import dev.rotor.policy.Policy;
import dev.rotor.secret.SecretRef;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Rolls one secret's consumers in parallel, at most {@code rotor.roll.concurrency} at once (DESIGN §5). The
 * calling thread stays with the rolls: every {@code check-every} it lets the caller renew its lease, so a long
 * roll is never taken over by another run, and it ends a roll that passed {@code rotor.roll.timeout} on Rotor's
 * clock. A timed-out roll, a failed one and a target no restarter handles are all the same to the engine: the
 * consumer has not rolled.
 */
@Singleton
final class Roller {
    private static final Logger LOG = LoggerFactory.getLogger(Roller.class);
    private final Consumers consumers;
    private final Clock clock;
    private final RollProperties properties;

    Roller(Consumers consumers, Clock clock, RollProperties properties) {
        this.consumers = consumers;
        this.clock = clock;
        this.properties = properties;
    }

    /** The first target no restarter handles, with the reason; see {@link Consumers#unsupported}. */
    Optional<String> unsupported(List<String> targets) {
        return consumers.unsupported(targets);
    }

    /** Outcomes in the order of {@code targets}; {@code whileWaiting} runs on the calling thread. */
    List<Consumers.Outcome> roll(List<String> targets, Policy policy, SecretRef ref, long version,
                                 Runnable whileWaiting) {
        if (targets.isEmpty()) {
            return List.of();
        }
        Semaphore slots = new Semaphore(properties.concurrency());
        Map<String, Instant> started = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(targets.size());
        List<Future<Consumers.Outcome>> futures = new ArrayList<>();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (String target : targets) {
                futures.add(executor.submit(() -> {
                    try {
                        slots.acquire();
                        try {
                            started.put(target, clock.instant());
                            return consumers.rollOne(target, policy, ref, version);
                        } finally {
                            slots.release();
                        }
                    } finally {
                        done.countDown();
                    }
                }));
            }
            while (!futures.stream().allMatch(Future::isDone)) {
                await(done);
                whileWaiting.run();
                Instant now = clock.instant();
                for (int i = 0; i < targets.size(); i++) {
                    Instant since = started.get(targets.get(i));
                    if (since != null && !futures.get(i).isDone()
                            && !now.isBefore(since.plus(properties.timeout())) && futures.get(i).cancel(true)) {
                        LOG.warn("rolling {} to version {} of {} timed out after {}", targets.get(i), version, ref,
                                properties.timeout());
                    }
                }
            }
            List<Consumers.Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                outcomes.add(outcome(targets.get(i), futures.get(i)));
            }
            return outcomes;
        } finally {
            executor.shutdownNow(); // a restarter that ignores the interrupt must not hold the run
        }
    }

    private void await(CountDownLatch done) {
        try {
            done.await(properties.checkEvery().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while consumers were rolling; the next run retries the roll");
        }
    }

    private Consumers.Outcome outcome(String target, Future<Consumers.Outcome> f) {
        if (f.isCancelled()) {
            return new Consumers.Outcome(target, "failed", "did not finish rolling within " + properties.timeout(),
                    List.of(), properties.timeout().toMillis());
        }
        try {
            return f.get();
        } catch (Exception e) {
            // the future wraps what the restarter threw: name that, not the wrapper (the class only: its message
            // is not Rotor's and may carry anything)
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            return new Consumers.Outcome(target, "failed", "roll failed: " + cause.getClass().getSimpleName(),
                    List.of(), 0);
        }
    }
}
