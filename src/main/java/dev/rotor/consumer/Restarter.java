package dev.rotor.consumer;

import dev.rotor.secret.SecretRef;

/**
 * The port to the platforms that run a secret's consumers (DESIGN §5): restart a target so it picks up
 * {@code version}, and wait until it serves it.
 */
public interface Restarter {
    /** Whether this restarter handles a target such as {@code run:projects/...}. */
    boolean handles(String target);

    /** Rolls the target; returns normally only once it serves the new version. */
    void roll(String target, SecretRef ref, long version);
}
