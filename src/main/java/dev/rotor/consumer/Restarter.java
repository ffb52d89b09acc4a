package dev.rotor.consumer;

import dev.rotor.secret.SecretRef;

import java.util.List;

/**
 * The port to the platforms that run a secret's consumers (DESIGN §5): restart a target so it picks up a
 * version, and wait until it serves it. Every adapter stamps what it rolled ({@link Stamp}, like Reloader's
 * content hash) and, when the target already runs that stamp, skips the update and only checks readiness, so
 * a retried or resumed roll makes no second revision, ReplicaSet or instance generation.
 */
public interface Restarter {
    /** Whether this restarter handles a target such as {@code run:projects/...}. */
    boolean handles(String target);

    /**
     * Rolls the target; returns normally only once it serves the new version, else throws with the reason
     * and the state the target was left in.
     */
    Rolled roll(Roll roll);

    /**
     * One roll: the target, what it must serve, and whether the declaration allows a restart that would
     * certainly interrupt the target ({@code rotor.consumers-allow-outage}).
     */
    record Roll(String target, SecretRef ref, long version, boolean outageAllowed) {
        public String stamp() {
            return Stamp.of(ref, version);
        }
    }

    /**
     * What a successful roll did.
     *
     * @param updated  false when the target already carried the stamp and only readiness was checked
     * @param warnings risks found before restarting (a single replica, no disruption budget, no probe)
     */
    record Rolled(boolean updated, List<String> warnings) {
        public Rolled {
            warnings = List.copyOf(warnings);
        }
    }
}
