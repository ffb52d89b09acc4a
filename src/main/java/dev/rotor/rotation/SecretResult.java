package dev.rotor.rotation;

import dev.rotor.consumer.Consumers;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * One secret's line in a run report (DESIGN §4). {@code error} says what failed and the state it left;
 * it never holds a payload.
 */
@Serdeable
public record SecretResult(
        String project,
        String secret,
        @Nullable String kind,
        String action,
        String outcome,
        @Nullable Long fromVersion,
        @Nullable Long toVersion,
        List<Consumers.Outcome> consumers,
        @Nullable String error,
        long durationMs) {

    public static final String ROTATED = "rotated";
    public static final String RETIRED = "retired";
    public static final String UNCHANGED = "unchanged";
    public static final String SKIPPED_LOCKED = "skipped-locked";
    public static final String MISCONFIGURED = "misconfigured";
    public static final String FAILED = "failed";
    public static final String PLANNED = "planned";
    public static final String ROLLED_BACK = "rolled-back";
}
