package dev.rotor.rotation;

import dev.rotor.secret.SecretRef;

/**
 * Called before each step. Production uses the no-op; tests throw from it to simulate a process that dies
 * between two steps.
 */
@FunctionalInterface
public interface StepHook {
    StepHook NONE = (step, ref) -> { };

    void before(Step step, SecretRef ref);
}
