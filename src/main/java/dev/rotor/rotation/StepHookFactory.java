package dev.rotor.rotation;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Production has no step hook; tests replace this bean to simulate crashes between steps. */
@Factory
public class StepHookFactory {
    @Singleton
    StepHook stepHook() {
        return StepHook.NONE;
    }
}
