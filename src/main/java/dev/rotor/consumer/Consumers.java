package dev.rotor.consumer;

import dev.rotor.secret.SecretRef;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * Rolls every consumer of a secret through the restarter that handles it. A target no restarter handles
 * fails its roll with that reason: Rotor never reports a restart it did not do, and the old version
 * then stays enabled.
 */
@Singleton
public final class Consumers {
    /** One target's outcome: {@code rolled} or {@code failed}, with the reason. */
    @Serdeable
    public record Outcome(String target, String outcome, @Nullable String error) {
        public boolean ok() {
            return outcome.equals("rolled");
        }
    }

    private final List<Restarter> restarters;

    public Consumers(List<Restarter> restarters) {
        this.restarters = restarters;
    }

    public List<Outcome> roll(List<String> targets, SecretRef ref, long version) {
        List<Outcome> outcomes = new ArrayList<>();
        for (String target : targets) {
            Restarter r = restarters.stream().filter(x -> x.handles(target)).findFirst().orElse(null);
            if (r == null) {
                outcomes.add(new Outcome(target, "failed", "no restarter for " + target.substring(0,
                        target.indexOf(':')) + " targets in this build; the previous version stays enabled"));
                continue;
            }
            try {
                r.roll(target, ref, version);
                outcomes.add(new Outcome(target, "rolled", null));
            } catch (RuntimeException e) {
                outcomes.add(new Outcome(target, "failed", e.getMessage()));
            }
        }
        return outcomes;
    }
}
