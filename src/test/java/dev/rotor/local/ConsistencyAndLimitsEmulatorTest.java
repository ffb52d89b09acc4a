package dev.rotor.local;

import com.google.api.gax.rpc.ResourceExhaustedException;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.iam.admin.v1.CreateServiceAccountKeyRequest;
import com.google.iam.admin.v1.GetServiceAccountKeyRequest;
import com.google.iam.admin.v1.ListServiceAccountKeysRequest;
import com.google.iam.admin.v1.ServiceAccountKey;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The four Google behaviours the key and consistency work depends on, through the official clients: lists
 * that lag behind Get, the key-expiry organisation policy, Secret Manager's per-secret write rate. (IAM
 * Credentials' lifetime refusal is in {@link IamEmulatorTest}.)
 */
class ConsistencyAndLimitsEmulatorTest {
    private static final String SA = "app@demo-project.iam.gserviceaccount.com";
    private static final String SA_NAME = "projects/demo-project/serviceAccounts/" + SA;
    private static final String SECRET = "projects/demo-project/secrets/s";
    private final EmulatedContext env = new EmulatedContext(Map.of("rotor.emulator.list-lag", "PT5M",
            "rotor.emulator.key-expiry-hours", "8", "rotor.emulator.per-secret-write-limits", "true"));
    private final IAMClient admin = env.bean(IAMClient.class);
    private final SecretManagerServiceClient sm = env.bean(SecretManagerServiceClient.class);

    ConsistencyAndLimitsEmulatorTest() {
        env.emulator.iam().createAccount("demo-project", "app");
        sm.createSecret("projects/demo-project", "s", Secret.newBuilder()
                .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance())).build());
    }

    @AfterEach
    void close() {
        env.close();
    }

    private List<ServiceAccountKey> listedKeys() {
        return admin.listServiceAccountKeys(ListServiceAccountKeysRequest.newBuilder().setName(SA_NAME)
                .addKeyTypes(ListServiceAccountKeysRequest.KeyType.USER_MANAGED).build()).getKeysList();
    }

    @Test
    void aNewVersionIsMissingFromListsUntilTheLagPassesButAccessAndGetFindItByNumber() {
        SecretVersion v = sm.addSecretVersion(SECRET, SecretPayload.newBuilder().setData(ByteString.copyFromUtf8("x")).build());
        assertEquals(0, sm.listSecretVersions(SECRET).getPage().getResponse().getVersionsCount(), "the list lags");
        assertEquals("x", sm.accessSecretVersion(v.getName()).getPayload().getData().toStringUtf8());
        assertEquals(v.getName(), sm.getSecretVersion(v.getName()).getName());
        env.clock.advance(Duration.ofMinutes(5));
        assertEquals(1, sm.listSecretVersions(SECRET).getPage().getResponse().getVersionsCount());
    }

    @Test
    void aNewKeyIsMissingFromListsUntilTheLagPassesButGetFindsIt() {
        ServiceAccountKey k = admin.createServiceAccountKey(CreateServiceAccountKeyRequest.newBuilder().setName(SA_NAME).build());
        assertEquals(List.of(), listedKeys(), "the list lags");
        assertNotNull(admin.getServiceAccountKey(GetServiceAccountKeyRequest.newBuilder().setName(k.getName()).build()));
        env.clock.advance(Duration.ofMinutes(5));
        assertEquals(1, listedKeys().size());
    }

    @Test
    void underTheExpiryConstraintAKeyReportsItsEndAndStopsWorkingThen() throws IOException {
        Instant created = env.clock.instant();
        ServiceAccountKey k = admin.createServiceAccountKey(CreateServiceAccountKeyRequest.newBuilder().setName(SA_NAME).build());
        assertEquals(created.plus(Duration.ofHours(8)).getEpochSecond(), k.getValidBeforeTime().getSeconds());
        ServiceAccountCredentials c = ServiceAccountCredentials.fromStream(
                new ByteArrayInputStream(k.getPrivateKeyData().toByteArray()));
        var scoped = c.createScoped(List.of("https://www.googleapis.com/auth/cloud-platform"));
        assertNotNull(scoped.refreshAccessToken(), "works before valid_before_time");
        env.clock.advance(Duration.ofHours(8));
        IOException refused = assertThrows(IOException.class, scoped::refreshAccessToken);
        assertEquals(true, refused.getMessage().contains("invalid_grant"), refused.getMessage());
    }

    @Test
    void writesToOneSecretBeyondTwoASecondAreRefusedWithResourceExhausted() {
        Secret patch = Secret.newBuilder().setName(SECRET).putAnnotations("a", "1").build();
        FieldMask mask = FieldMask.newBuilder().addPaths("annotations").build();
        sm.updateSecret(patch, mask);
        sm.addSecretVersion(SECRET, SecretPayload.newBuilder().setData(ByteString.copyFromUtf8("x")).build());
        assertThrows(ResourceExhaustedException.class, () -> sm.updateSecret(patch, mask), "third write in a second");
        env.clock.advance(Duration.ofSeconds(1));
        sm.updateSecret(patch, mask);
        String v1 = SECRET + "/versions/1";
        sm.disableSecretVersion(v1);
        assertThrows(ResourceExhaustedException.class, () -> sm.enableSecretVersion(v1), "one a second per version");
    }
}
