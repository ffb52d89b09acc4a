package dev.rotor.secret;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Optional;

/** One version's metadata (never its payload). */
@Serdeable
public record VersionInfo(long number, State state, Instant createdAt, Optional<Instant> scheduledDestroy) {
    /** Secret Manager's version states (gcp-api-facts §1.2). */
    public enum State { ENABLED, DISABLED, DESTROYED }

    public boolean enabled() {
        return state == State.ENABLED;
    }
}
