package dev.rotor.local;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode ({@code MICRONAUT_ENVIRONMENTS=local}): seeds the demo project with managed secrets ({@link DemoSeed},
 * the same seed as the standalone {@link EmulatorMain}); {@link Greeting} tells the user where it runs and what to
 * try. The emulator it needs refuses to start on Cloud Run ({@link EmulatorFactory}).
 */
@Context
@Requires(env = "local")
public class LocalMode {
    public static final String PROJECT = DemoSeed.PROJECT;
    private static final Logger LOG = LoggerFactory.getLogger(LocalMode.class);

    private final Emulator emulator;

    public LocalMode(Emulator emulator) {
        this.emulator = emulator;
    }

    @PostConstruct
    void seed() {
        String app = DemoSeed.seed(emulator);
        LOG.info("seeded project {}: 5 managed secrets (every kind), service account {}, KMS key, and the database "
                + "password's consumers: Cloud Run service {}, GKE {}, {}", PROJECT, app, DemoSeed.SERVICE,
                LocalConsumers.GKE_TARGET, LocalConsumers.MIG_TARGET);
        emulator.httpUrl().ifPresent(url -> LOG.info("gcloud can read it: CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER={} "
                + "CLOUDSDK_AUTH_ACCESS_TOKEN=any gcloud secrets list --project {}", url, PROJECT));
    }
}
