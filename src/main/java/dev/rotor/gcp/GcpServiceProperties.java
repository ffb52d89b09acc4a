package dev.rotor.gcp;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * Per-service overrides under {@code rotor.gcp.<service>}: endpoint, plaintext (for loopback emulators
 * only), call timeout, attempts and first back-off. Unset values keep the client library's defaults,
 * which follow each API's published gRPC service config (gcp-api-facts §1.10).
 */
@EachProperty("rotor.gcp")
public record GcpServiceProperties(
        @Parameter String name,
        @Nullable String endpoint,
        @Nullable Boolean plaintext,
        @Nullable Duration timeout,
        @Nullable Integer maxAttempts,
        @Nullable Duration initialBackoff) {

    public boolean isPlaintext() {
        return Boolean.TRUE.equals(plaintext);
    }
}
