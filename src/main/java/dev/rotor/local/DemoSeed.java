package dev.rotor.local;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.EnvVarSource;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.SecretKeySelector;
import com.google.cloud.run.v2.Service;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;

import java.util.Map;

/**
 * The demo project both local mode and the standalone {@link EmulatorMain} start with: a service account, a KMS
 * key, a Cloud Run service, a GKE Deployment and a managed instance group that read {@code demo-db-password}, and one managed secret of every kind, declared
 * as a user would (label {@code rotor=managed}, policy in {@code rotor.*} annotations).
 */
public final class DemoSeed {
    public static final String PROJECT = "demo-project";
    public static final String SERVICE = "projects/" + PROJECT + "/locations/europe-west1/services/demo-api";
    public static final String KEY = "projects/" + PROJECT + "/locations/global/keyRings/rotor/cryptoKeys/secrets";

    private DemoSeed() {
    }

    /** Seeds {@code emulator}; returns the demo service account's email. */
    public static String seed(Emulator emulator) {
        String app = emulator.iam().createAccount(PROJECT, "demo-app").email();
        emulator.kms().createKeyRing("projects/" + PROJECT + "/locations/global", "rotor");
        emulator.kms().createCryptoKey("projects/" + PROJECT + "/locations/global/keyRings/rotor", "secrets");
        emulator.cloudRun().create("projects/" + PROJECT + "/locations/europe-west1", "demo-api",
                Service.newBuilder().setTemplate(RevisionTemplate.newBuilder().addContainers(Container.newBuilder()
                        .setImage("europe-west1-docker.pkg.dev/" + PROJECT + "/demo/api:1")
                        .addEnv(EnvVar.newBuilder().setName("DB_PASSWORD").setValueSource(EnvVarSource.newBuilder()
                                .setSecretKeyRef(SecretKeySelector.newBuilder()
                                        .setSecret("demo-db-password").setVersion("latest")))))).build());
        LocalConsumers.seed(emulator);
        declare(emulator, "demo-db-password", Map.of("rotor.kind", "generated", "rotor.rotate-every", "PT5M",
                "rotor.grace", "PT1M", "rotor.retain", "PT10M", "rotor.length", "32", "rotor.format", "alnum",
                "rotor.consumers", "run:" + SERVICE + "," + LocalConsumers.GKE_TARGET + "," + LocalConsumers.MIG_TARGET));
        declare(emulator, "demo-api-key", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P30D",
                "rotor.length", "64", "rotor.format", "hex", "rotor.encryption", "envelope:" + KEY));
        declare(emulator, "demo-sa-key", Map.of("rotor.kind", "service-account-key", "rotor.service-account", app,
                "rotor.rotate-every", "PT10M", "rotor.grace", "PT2M", "rotor.retain", "PT10M"));
        declare(emulator, "demo-access-token", Map.of("rotor.kind", "access-token", "rotor.service-account", app,
                "rotor.lifetime", "PT1H", "rotor.refresh-before", "PT15M"));
        declare(emulator, "demo-id-token", Map.of("rotor.kind", "id-token", "rotor.service-account", app,
                "rotor.audience", "https://demo-api.example"));
        return app;
    }

    private static void declare(Emulator emulator, String id, Map<String, String> annotations) {
        emulator.secretManager().create("projects/" + PROJECT, id, Secret.newBuilder()
                .putLabels("rotor", "managed").putAllAnnotations(annotations)
                .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()))
                .build());
    }
}
