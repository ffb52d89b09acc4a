package dev.rotor.credential;

import java.time.Duration;

/** Waits between attempts. Tests replace it with one that moves the emulator's clock instead. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = d -> {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    };

    void sleep(Duration d);
}
