package dev.rotor.rotation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * The engine's settings: which projects to scan, how long a claim lasts before another run may take it
 * over, and how many secrets are worked on at once.
 *
 * @param projects    projects whose {@code rotor=managed} secrets Rotor manages; blank entries (the unset
 *                    default binds as one empty id) are dropped
 * @param lease       how long a claim lasts; longer than the slowest rotation (key verification can take minutes);
 *                    positive, or a claim would expire as it is taken and a second run rotate beside the first
 * @param concurrency secrets rotated at once in one run; at least 1
 */
@ConfigurationProperties("rotor")
public record RotationProperties(
        @Bindable(defaultValue = "") List<String> projects,
        @Bindable(defaultValue = "PT10M") Duration lease,
        @Bindable(defaultValue = "8") int concurrency) {

    public RotationProperties {
        projects = projects.stream().map(String::strip).filter(p -> !p.isEmpty()).toList();
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("rotor.lease must be positive, not " + lease);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("rotor.concurrency must be at least 1, not " + concurrency);
        }
    }
}
