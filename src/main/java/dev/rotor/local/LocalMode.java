package dev.rotor.local;

import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Local mode ({@code MICRONAUT_ENVIRONMENTS=local}): seeds the demo project with managed secrets;
 * {@link Greeting} tells the user where it runs and what to try. The emulator it needs refuses to start
 * on Cloud Run ({@link EmulatorFactory}).
 */
@Context
@Requires(env = "local")
public class LocalMode {
    public static final String PROJECT = "demo-project";
    private static final Logger LOG = LoggerFactory.getLogger(LocalMode.class);

    private final Emulator emulator;
    private final SecretManagerServiceClient secrets;

    public LocalMode(Emulator emulator, SecretManagerServiceClient secrets) {
        this.emulator = emulator;
        this.secrets = secrets;
    }

    @PostConstruct
    void seed() {
        String app = emulator.iam().createAccount(PROJECT, "demo-app").email();
        emulator.kms().createKeyRing("projects/" + PROJECT + "/locations/global", "rotor");
        emulator.kms().createCryptoKey("projects/" + PROJECT + "/locations/global/keyRings/rotor", "secrets");
        String service = "projects/" + PROJECT + "/locations/europe-west1/services/demo-api";
        emulator.cloudRun().create("projects/" + PROJECT + "/locations/europe-west1", "demo-api",
                com.google.cloud.run.v2.Service.newBuilder().setTemplate(com.google.cloud.run.v2.RevisionTemplate
                        .newBuilder().addContainers(com.google.cloud.run.v2.Container.newBuilder()
                                .setImage("europe-west1-docker.pkg.dev/" + PROJECT + "/demo/api:1")
                                .addEnv(com.google.cloud.run.v2.EnvVar.newBuilder().setName("DB_PASSWORD")
                                        .setValueSource(com.google.cloud.run.v2.EnvVarSource.newBuilder()
                                                .setSecretKeyRef(com.google.cloud.run.v2.SecretKeySelector.newBuilder()
                                                        .setSecret("demo-db-password").setVersion("latest")))))).build());
        declare("demo-db-password", Map.of("rotor.kind", "generated", "rotor.rotate-every", "PT5M",
                "rotor.grace", "PT1M", "rotor.retain", "PT10M", "rotor.length", "32", "rotor.format", "alnum",
                "rotor.consumers", "run:" + service));
        declare("demo-api-key", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P30D",
                "rotor.length", "64", "rotor.format", "hex",
                "rotor.encryption", "envelope:projects/" + PROJECT + "/locations/global/keyRings/rotor/cryptoKeys/secrets"));
        declare("demo-sa-key", Map.of("rotor.kind", "service-account-key", "rotor.service-account", app,
                "rotor.rotate-every", "PT10M", "rotor.grace", "PT2M", "rotor.retain", "PT10M"));
        declare("demo-access-token", Map.of("rotor.kind", "access-token", "rotor.service-account", app,
                "rotor.lifetime", "PT1H", "rotor.refresh-before", "PT15M"));
        declare("demo-id-token", Map.of("rotor.kind", "id-token", "rotor.service-account", app,
                "rotor.audience", "https://demo-api.example"));
        LOG.info("seeded project {}: 5 managed secrets (every kind), service account {}, KMS key, Cloud Run service {}",
                PROJECT, app, service);
    }

    private void declare(String id, Map<String, String> annotations) {
        secrets.createSecret("projects/" + PROJECT, id, Secret.newBuilder()
                .putLabels("rotor", "managed").putAllAnnotations(annotations)
                .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()))
                .build());
    }
}
