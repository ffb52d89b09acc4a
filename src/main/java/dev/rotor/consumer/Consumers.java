package dev.rotor.consumer;

import dev.rotor.policy.Policy;
import dev.rotor.secret.SecretRef;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rolls every consumer of a secret through the restarter that handles it. A target no restarter handles
 * fails its roll with that reason: Rotor never reports a restart it did not do, and the old version
 * then stays enabled. {@link #unsupported} lets the declaration be judged misconfigured before anything is
 * minted.
 */
@Singleton
public final class Consumers {
    /**
     * One target's outcome: {@code rolled} or {@code failed}, with the reason, what the roll noticed (risks,
     * a skipped update) and how long it took.
     */
    @Serdeable
    public record Outcome(String target, String outcome, @Nullable String error, List<String> notes, long millis) {
        public boolean ok() {
            return outcome.equals("rolled");
        }
    }

    private final List<Restarter> restarters;

    public Consumers(List<Restarter> restarters) {
        this.restarters = restarters;
    }

    /** The first target no restarter of this build handles, with the reason; empty when all are handled. */
    public Optional<String> unsupported(List<String> targets) {
        return targets.stream().filter(t -> restarter(t).isEmpty()).findFirst()
                .map(t -> "rotor.consumers: no restarter for " + t.substring(0, t.indexOf(':')) + " targets in this "
                        + "build (" + t + ")");
    }

    /** Rolls one target of {@code policy} to {@code version}; never throws, the outcome says what happened. */
    public Outcome rollOne(String target, Policy policy, SecretRef ref, long version) {
        return rollOne(target, new Restarter.Roll(target, ref, version,
                policy.consumersAllowOutage().contains(target)));
    }

    private Outcome rollOne(String target, Restarter.Roll roll) {
        long started = System.nanoTime();
        Optional<Restarter> r = restarter(target);
        if (r.isEmpty()) {
            return new Outcome(target, "failed", "no restarter for " + target.substring(0, target.indexOf(':'))
                    + " targets in this build; the previous version stays enabled", List.of(), 0);
        }
        try {
            Restarter.Rolled rolled = r.get().roll(roll);
            List<String> notes = new ArrayList<>(rolled.warnings());
            if (!rolled.updated()) {
                notes.add("already restarted for version " + roll.version() + " (" + Stamp.ANNOTATION
                        + "); only readiness was checked");
            }
            return new Outcome(target, "rolled", null, notes, millisSince(started));
        } catch (RuntimeException e) {
            return new Outcome(target, "failed", e.getMessage(), List.of(), millisSince(started));
        }
    }

    private Optional<Restarter> restarter(String target) {
        return restarters.stream().filter(x -> x.handles(target)).findFirst();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
