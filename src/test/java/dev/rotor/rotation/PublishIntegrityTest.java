package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.ByteString;
import dev.rotor.local.EmulatedContext;
import dev.rotor.secret.SecretRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Rotor writes is what is stored: every version goes out with its CRC32C, so Secret Manager verifies it
 * and records {@code client_specified_payload_checksum} (gcp-api-facts §1.7), and the read-back is of the
 * number AddSecretVersion returned, never of the newest version, which another writer may have added since.
 */
class PublishIntegrityTest {
    private static final String SECRET = "projects/" + Engine.PROJECT + "/secrets/db";

    @ParameterizedTest
    @ValueSource(strings = {"generated", "service-account-key", "access-token"})
    void everyVersionRotorAddsCarriesItsClientSpecifiedChecksum(String kind) {
        try (Engine e = new Engine()) {
            String sa = e.account("app");
            e.declare("db", Map.of("rotor.kind", kind, "rotor.service-account", sa, "rotor.rotate-every", "P1D"));
            e.run();
            e.env.clock.advance(Duration.ofDays(2));
            e.run();
            assertEquals(2, e.versions("db").size());
            for (SecretVersion v : e.versions("db")) {
                assertTrue(e.client.getSecretVersion(v.getName()).getClientSpecifiedPayloadChecksum(),
                        v.getName() + " was added with its data_crc32c");
            }
        }
    }

    /** At the read-back another writer (an operator by hand, say) adds a newer version. */
    @Test
    void theReadBackIsOfTheNumberJustWrittenEvenWhenANewerVersionAppears() {
        AtomicBoolean interfere = new AtomicBoolean(true);
        SecretManagerServiceClient[] client = new SecretManagerServiceClient[1];
        StepHook operator = (Step step, SecretRef ref) -> {
            if (step == Step.READBACK && interfere.getAndSet(false)) {
                client[0].addSecretVersion(SECRET, SecretPayload.newBuilder()
                        .setData(ByteString.copyFromUtf8("added by hand")).build());
            }
        };
        try (EmulatedContext env = new EmulatedContext(Map.of("rotor.projects", Engine.PROJECT,
                "rotor.retry.base-delay", "1ms", "rotor.quota.secret-manager.writes-per-minute", "0",
                "rotor.quota.secret-manager.reads-per-minute", "0"), Map.of(StepHook.class, operator))) {
            client[0] = env.bean(SecretManagerServiceClient.class);
            client[0].createSecret("projects/" + Engine.PROJECT, "db", Secret.newBuilder().putLabels("rotor", "managed")
                    .putAnnotations("rotor.kind", "generated").setReplication(Replication.newBuilder()
                            .setAutomatic(Replication.Automatic.getDefaultInstance())).build());
            RunReport report = env.bean(RunService.class).run(new RunService.RunRequest("r", Set.of(), false));
            assertEquals(1, report.summary().rotated(), report.toString());
            assertEquals(1L, client[0].getSecret(SECRET).getVersionAliasesMap().get("current"),
                    "Rotor commits the version it wrote and read back");
            assertNotEquals("added by hand", client[0].accessSecretVersion(SECRET + "/versions/current").getPayload()
                    .getData().toStringUtf8());
            assertTrue(client[0].accessSecretVersion(SECRET + "/versions/latest").getName().endsWith("/versions/2"),
                    "the operator's version is the newest");
        }
    }
}
