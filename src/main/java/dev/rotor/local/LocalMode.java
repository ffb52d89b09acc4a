package dev.rotor.local;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode ({@code MICRONAUT_ENVIRONMENTS=local}): refuses to start on Cloud Run ({@code K_SERVICE} set),
 * says loudly that it is an emulator, and seeds the demo project with managed secrets.
 */
@Context
@Requires(env = "local")
public class LocalMode {
    public static final String PROJECT = DemoSeed.PROJECT;
    private static final Logger LOG = LoggerFactory.getLogger(LocalMode.class);

    private final Emulator emulator;

    public LocalMode(@Nullable @Property(name = "k.service") String kService, Emulator emulator) {
        if (kService != null && !kService.isBlank()) {
            throw new ConfigurationException("local mode runs an in-process emulator and must never run on Cloud Run "
                    + "(K_SERVICE=" + kService + " is set); remove 'local' from MICRONAUT_ENVIRONMENTS");
        }
        this.emulator = emulator;
    }

    @PostConstruct
    void seed() {
        LOG.warn("LOCAL MODE: Rotor is talking to its embedded Google Cloud emulator at {}, not to Google.",
                emulator.loopbackAddress().orElse("in-process"));
        String app = DemoSeed.seed(emulator);
        String service = DemoSeed.SERVICE;
        LOG.info("seeded project {}: 5 managed secrets (every kind), service account {}, KMS key, Cloud Run service {}",
                PROJECT, app, service);
        emulator.httpUrl().ifPresent(url -> LOG.info("gcloud can read it: CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER={} "
                + "CLOUDSDK_AUTH_ACCESS_TOKEN=any gcloud secrets list --project {}", url, PROJECT));
    }
}
