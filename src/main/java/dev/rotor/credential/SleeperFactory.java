package dev.rotor.credential;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The real sleeper; tests replace this bean. */
@Factory
public class SleeperFactory {
    @Singleton
    Sleeper sleeper() {
        return Sleeper.REAL;
    }
}
