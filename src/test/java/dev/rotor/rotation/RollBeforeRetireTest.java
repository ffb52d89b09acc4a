package dev.rotor.rotation;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.EnvVarSource;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.SecretKeySelector;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.iam.admin.v1.GetServiceAccountKeyRequest;
import com.google.iam.admin.v1.ServiceAccountKey;
import dev.rotor.credential.KeyVerifier;
import dev.rotor.local.faults.Faults;
import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The old version, and the IAM key behind it, stay enabled and working until every consumer has rolled to the
 * new one, and are retired after (DESIGN §3, §5). A consumer whose roll keeps failing still reads the old
 * version: retiring it first would take the credential away from a running service. Unlike a test whose
 * consumer only ever sees version 1, here the roll fails while version 2 is already current.
 */
class RollBeforeRetireTest {
    private static final String PARENT = "projects/demo-project/locations/europe-west1";
    private static final String SERVICE = PARENT + "/services/api";

    @ParameterizedTest
    @ValueSource(strings = {"generated", "service-account-key"})
    void theOldVersionAndItsKeyStayUntilTheConsumerHasRolledAndAreRetiredAfter(String kind) {
        try (Engine e = new Engine()) {
            String sa = e.account("app");
            consumer(e);
            Map<String, String> policy = new HashMap<>(Map.of("rotor.kind", kind, "rotor.rotate-every", "P1D",
                    "rotor.keep-enabled", "1", "rotor.grace", "PT0S", "rotor.consumers", "run:" + SERVICE));
            if (kind.equals("service-account-key")) {
                policy.put("rotor.service-account", sa);
            }
            e.declare("db", policy);
            assertEquals(1, e.run().summary().rotated());
            String oldKey = kind.equals("service-account-key") ? privateKeyId(e.access("db", "1")) : null;
            e.env.clock.advance(Duration.ofDays(2));

            e.env.emulator.faults().fail("UpdateService", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1000);
            for (int attempt = 1; attempt <= 2; attempt++) {
                RunReport failing = e.run();
                assertEquals(1, failing.summary().failed(), failing.toString());
                assertEquals(2L, e.aliases("db").get("current"), "the new version is committed");
                assertInUse(e, "1", "while the consumer has not rolled (run " + attempt + ")");
                assertInUse(e, "2", "the committed version");
                e.env.clock.advance(Duration.ofMinutes(11));
            }

            e.env.emulator.faults().clear();
            RunReport rolled = e.run();
            assertEquals(0, rolled.summary().failed(), rolled.toString());
            assertEquals("2", pinnedVersion(e), "the consumer serves version 2");
            assertEquals(SecretVersion.State.DISABLED, e.client.getSecretVersion(Engine.name("db") + "/versions/1").getState(),
                    "version 1 is retired once no consumer uses it");
            assertInUse(e, "2", "after the roll");
            if (kind.equals("service-account-key")) {
                assertTrue(key(e, oldKey).getDisabled(), "version 1's key is retired with it");
            }
        }
    }

    private static void consumer(Engine e) {
        e.env.emulator.cloudRun().create(PARENT, "api", Service.newBuilder().setTemplate(RevisionTemplate.newBuilder()
                .addContainers(Container.newBuilder().setImage("europe-docker.pkg.dev/demo-project/app/api:1")
                        .addEnv(EnvVar.newBuilder().setName("DB_PASSWORD").setValueSource(EnvVarSource.newBuilder()
                                .setSecretKeyRef(SecretKeySelector.newBuilder().setSecret("db").setVersion("1"))))))
                .build());
    }

    private static String pinnedVersion(Engine e) {
        return e.env.bean(ServicesClient.class).getService(SERVICE).getTemplate().getContainers(0).getEnv(0)
                .getValueSource().getSecretKeyRef().getVersion();
    }

    /** A version a consumer may use: enabled, readable and, for a key, a key that the token endpoint accepts. */
    static void assertInUse(Engine e, String version, String when) {
        SecretVersion v = e.client.getSecretVersion(Engine.name("db") + "/versions/" + version);
        assertEquals(SecretVersion.State.ENABLED, v.getState(), "version " + version + " is enabled " + when);
        String payload = e.access("db", version);
        if (payload.contains("\"private_key_id\"")) {
            String id = privateKeyId(payload);
            assertFalse(key(e, id).getDisabled(), "version " + version + "'s key " + id + " is enabled " + when);
            assertDoesNotThrow(() -> e.env.bean(KeyVerifier.class).verify(payload.getBytes(StandardCharsets.UTF_8)),
                    "version " + version + "'s key " + id + " works " + when);
        }
    }

    private static String privateKeyId(String keyFile) {
        try {
            return ServiceAccountCredentials.fromStream(new ByteArrayInputStream(keyFile.getBytes(StandardCharsets.UTF_8)))
                    .getPrivateKeyId();
        } catch (IOException ex) {
            throw new AssertionError("the version does not hold a service-account key file", ex);
        }
    }

    private static ServiceAccountKey key(Engine e, String id) {
        return e.env.bean(IAMClient.class).getServiceAccountKey(GetServiceAccountKeyRequest.newBuilder().setName(
                "projects/" + Engine.PROJECT + "/serviceAccounts/app@" + Engine.PROJECT + ".iam.gserviceaccount.com/keys/"
                        + id).build());
    }
}
