package dev.rotor.local;

import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Local mode ({@code MICRONAUT_ENVIRONMENTS=local}): refuses to start on Cloud Run ({@code K_SERVICE} set),
 * says loudly that it is an emulator, and seeds the demo project with managed secrets.
 */
@Context
@Requires(env = "local")
public class LocalMode {
    public static final String PROJECT = "demo-project";
    private static final Logger LOG = LoggerFactory.getLogger(LocalMode.class);

    private final Emulator emulator;
    private final SecretManagerServiceClient secrets;

    public LocalMode(@Nullable @Property(name = "k.service") String kService, Emulator emulator,
                     SecretManagerServiceClient secrets) {
        if (kService != null && !kService.isBlank()) {
            throw new ConfigurationException("local mode runs an in-process emulator and must never run on Cloud Run "
                    + "(K_SERVICE=" + kService + " is set); remove 'local' from MICRONAUT_ENVIRONMENTS");
        }
        this.emulator = emulator;
        this.secrets = secrets;
    }

    @PostConstruct
    void seed() {
        LOG.warn("LOCAL MODE: Rotor is talking to its embedded Google Cloud emulator at {}, not to Google.",
                emulator.loopbackAddress().orElse("in-process"));
        declare("demo-db-password", Map.of("rotor.kind", "generated", "rotor.rotate-every", "PT5M",
                "rotor.grace", "PT1M", "rotor.retain", "PT10M", "rotor.length", "32", "rotor.format", "alnum"));
        declare("demo-api-key", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P30D",
                "rotor.length", "64", "rotor.format", "hex"));
        LOG.info("seeded {} managed secrets in project {}", 2, PROJECT);
    }

    private void declare(String id, Map<String, String> annotations) {
        secrets.createSecret("projects/" + PROJECT, id, Secret.newBuilder()
                .putLabels("rotor", "managed").putAllAnnotations(annotations)
                .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()))
                .build());
    }
}
