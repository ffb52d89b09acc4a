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

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Checks on a version a consumer may still use: it is enabled and readable and, when it holds a
 * service-account key, that key is enabled in IAM and the token endpoint accepts it (the real google-auth
 * exchange of {@link KeyVerifier}), so a consumer reading it now would work.
 */
final class InUse {
    private InUse() {
    }

    static void assertUsable(Engine e, String secret, String version, String when) {
        SecretVersion v = e.client.getSecretVersion(Engine.name(secret) + "/versions/" + version);
        assertEquals(SecretVersion.State.ENABLED, v.getState(), secret + " version " + version + " is enabled " + when);
        String payload = e.access(secret, version);
        if (payload.contains("\"private_key_id\"")) {
            String id = parse(payload).getPrivateKeyId();
            assertFalse(key(e, payload).getDisabled(), secret + " version " + version + "'s key " + id + " is enabled " + when);
            assertDoesNotThrow(() -> e.env.bean(KeyVerifier.class).verify(payload.getBytes(StandardCharsets.UTF_8)),
                    secret + " version " + version + "'s key " + id + " works " + when);
        }
    }

    /** A Cloud Run service {@code name} (a full resource name) whose container reads version 1 of {@code secret}. */
    static void cloudRunConsumer(Engine e, String name, String secret) {
        int cut = name.lastIndexOf("/services/");
        e.env.emulator.cloudRun().create(name.substring(0, cut), name.substring(cut + "/services/".length()),
                Service.newBuilder().setTemplate(RevisionTemplate.newBuilder().addContainers(Container.newBuilder()
                        .setImage("europe-docker.pkg.dev/demo-project/app/api:1").addEnv(EnvVar.newBuilder()
                                .setName("SECRET").setValueSource(EnvVarSource.newBuilder().setSecretKeyRef(
                                        SecretKeySelector.newBuilder().setSecret(secret).setVersion("1"))))))
                        .build());
    }

    /** The secret version a Cloud Run service's first container reads: what it serves until its roll succeeds. */
    static String pinnedVersion(Engine e, String service) {
        return e.env.bean(ServicesClient.class).getService(service).getTemplate().getContainers(0).getEnv(0)
                .getValueSource().getSecretKeyRef().getVersion();
    }

    private static ServiceAccountCredentials parse(String keyFile) {
        try {
            return ServiceAccountCredentials.fromStream(new ByteArrayInputStream(keyFile.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException ex) {
            throw new AssertionError("the version does not hold a service-account key file", ex);
        }
    }

    /** The IAM key a key file holds, by its name (the account's email and the file's private key id). */
    static ServiceAccountKey key(Engine e, String keyFile) {
        ServiceAccountCredentials c = parse(keyFile);
        return e.env.bean(IAMClient.class).getServiceAccountKey(GetServiceAccountKeyRequest.newBuilder().setName(
                "projects/" + Engine.PROJECT + "/serviceAccounts/" + c.getClientEmail() + "/keys/" + c.getPrivateKeyId())
                .build());
    }
}
