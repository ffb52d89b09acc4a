package dev.rotor.gcp;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.Optional;

/**
 * Whether Rotor runs on Cloud Run: Cloud Run sets {@code K_SERVICE} (the service name) in every container
 * of a service (https://cloud.google.com/run/docs/container-contract#services-env-vars), which Micronaut
 * binds as {@code k.service}. On Cloud Run nothing Rotor talks to may be a fake.
 *
 * @param service the Cloud Run service name, when on Cloud Run
 */
@ConfigurationProperties("k")
public record CloudRunEnvironment(@Nullable String service) {
    public boolean onCloudRun() {
        return service != null && !service.isBlank();
    }

    /** {@code "K_SERVICE=name is set"} on Cloud Run, for messages; empty elsewhere. */
    public Optional<String> evidence() {
        return onCloudRun() ? Optional.of("K_SERVICE=" + service + " is set") : Optional.empty();
    }
}
