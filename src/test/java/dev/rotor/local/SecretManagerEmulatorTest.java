package dev.rotor.local;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.DeadlineExceededException;
import com.google.api.gax.rpc.FailedPreconditionException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.ResourceExhaustedException;
import com.google.api.gax.rpc.UnavailableException;
import com.google.cloud.secretmanager.v1.AddSecretVersionRequest;
import com.google.cloud.secretmanager.v1.CustomerManagedEncryption;
import com.google.cloud.secretmanager.v1.DisableSecretVersionRequest;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.cloud.secretmanager.v1.SecretVersionName;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import dev.rotor.local.faults.Faults;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official Secret Manager client against the emulator: each documented behaviour of gcp-api-facts §1. */
class SecretManagerEmulatorTest {
    private static final String PROJECT = "projects/demo-project";
    private static final Replication AUTO = Replication.newBuilder()
            .setAutomatic(Replication.Automatic.getDefaultInstance()).build();

    private final EmulatedContext env = new EmulatedContext(Map.of("rotor.gcp.secret-manager.timeout", "2s"));
    private final SecretManagerServiceClient client = env.bean(SecretManagerServiceClient.class);

    @AfterEach
    void close() {
        env.close();
    }

    private Secret create(String id, Map<String, String> labels) {
        return client.createSecret(PROJECT, id, Secret.newBuilder().setReplication(AUTO).putAllLabels(labels).build());
    }

    private SecretVersion add(Secret secret, String data) {
        return client.addSecretVersion(secret.getName(),
                SecretPayload.newBuilder().setData(ByteString.copyFromUtf8(data)).build());
    }

    private String access(String versionName) {
        return client.accessSecretVersion(versionName).getPayload().getData().toStringUtf8();
    }

    @Test
    void createsAndGetsSecretsWithQuotedEtags() {
        Secret s = create("db-password", Map.of("rotor", "managed"));
        assertEquals("projects/" + env.emulator.projects().number("demo-project") + "/secrets/db-password", s.getName());
        assertTrue(s.getEtag().startsWith("\"") && s.getEtag().endsWith("\""), s.getEtag());
        assertEquals(s, client.getSecret(s.getName()));
        assertThrows(AlreadyExistsException.class, () -> create("db-password", Map.of()));
        assertThrows(NotFoundException.class, () -> client.getSecret(PROJECT + "/secrets/nope"));
        assertThrows(InvalidArgumentException.class, () -> create("bad/id", Map.of()));
        assertThrows(InvalidArgumentException.class, () -> client.createSecret(PROJECT, "no-replication",
                Secret.getDefaultInstance()));
    }

    @Test
    void versionsAreNumberedFromOneAndLatestIsTheNewestInAnyState() {
        Secret s = create("s", Map.of());
        assertEquals(s.getName() + "/versions/1", add(s, "one").getName());
        assertEquals(s.getName() + "/versions/2", add(s, "two").getName());
        SecretVersion three = add(s, "three");
        assertEquals("two", access(s.getName() + "/versions/2"));
        assertEquals("three", access(s.getName() + "/versions/latest"));

        client.disableSecretVersion(three.getName());
        FailedPreconditionException e = assertThrows(FailedPreconditionException.class,
                () -> access(s.getName() + "/versions/latest"));
        assertTrue(e.getMessage().contains("is in DISABLED state"), e.getMessage());
        assertEquals(SecretVersion.State.DISABLED, client.getSecretVersion(s.getName() + "/versions/latest").getState());
        assertThrows(NotFoundException.class, () -> access(s.getName() + "/versions/4"));
    }

    @Test
    void destroyedVersionsAreTerminal() {
        Secret s = create("s", Map.of());
        SecretVersion v = add(s, "x");
        SecretVersion destroyed = client.destroySecretVersion(v.getName());
        assertEquals(SecretVersion.State.DESTROYED, destroyed.getState());
        assertTrue(destroyed.hasDestroyTime());
        assertThrows(FailedPreconditionException.class, () -> access(v.getName()));
        assertThrows(FailedPreconditionException.class, () -> client.enableSecretVersion(v.getName()));
    }

    @Test
    void destroyWithTtlDisablesThenDestroysWhenTheTtlPasses() {
        Secret s = client.createSecret(PROJECT, "ttl", Secret.newBuilder().setReplication(AUTO)
                .setVersionDestroyTtl(com.google.protobuf.Duration.newBuilder().setSeconds(86_400)).build());
        SecretVersion v = add(s, "x");
        SecretVersion scheduled = client.destroySecretVersion(v.getName());
        assertEquals(SecretVersion.State.DISABLED, scheduled.getState());
        assertTrue(scheduled.hasScheduledDestroyTime());
        env.clock.advance(Duration.ofHours(23));
        assertEquals(SecretVersion.State.DISABLED, client.getSecretVersion(v.getName()).getState());
        env.clock.advance(Duration.ofHours(2));
        assertEquals(SecretVersion.State.DESTROYED, client.getSecretVersion(v.getName()).getState());
    }

    @Test
    void updateNeedsAMaskAndAMatchingEtagAndAlwaysChangesTheEtag() {
        Secret s = create("s", Map.of());
        Secret patch = s.toBuilder().putAnnotations("rotor.kind", "generated").build();
        FieldMask annotations = FieldMask.newBuilder().addPaths("annotations").build();
        assertThrows(InvalidArgumentException.class, () -> client.updateSecret(patch, FieldMask.getDefaultInstance()));

        Secret updated = client.updateSecret(patch, annotations);
        assertEquals("generated", updated.getAnnotationsMap().get("rotor.kind"));
        assertNotEquals(s.getEtag(), updated.getEtag());
        // the first etag is stale now
        FailedPreconditionException stale = assertThrows(FailedPreconditionException.class,
                () -> client.updateSecret(patch, annotations));
        assertTrue(stale.getMessage().contains("etag"), stale.getMessage());
        // a no-op update still changes the etag
        Secret again = client.updateSecret(updated, annotations);
        assertNotEquals(updated.getEtag(), again.getEtag());
        // no etag: no check
        client.updateSecret(patch.toBuilder().clearEtag().build(), annotations);
    }

    @Test
    void aliasesResolveOnAccessAndAreValidated() {
        Secret s = create("s", Map.of());
        add(s, "one");
        add(s, "two");
        FieldMask mask = FieldMask.newBuilder().addPaths("version_aliases").build();
        Secret withAlias = client.updateSecret(s.toBuilder().clearEtag().putVersionAliases("current", 1).build(), mask);
        assertEquals("one", access(s.getName() + "/versions/current"));
        assertEquals(1L, withAlias.getVersionAliasesMap().get("current"));
        assertThrows(InvalidArgumentException.class, () -> client.updateSecret(
                s.toBuilder().clearEtag().putVersionAliases("current", 9).build(), mask));
        assertThrows(InvalidArgumentException.class, () -> client.updateSecret(
                s.toBuilder().clearEtag().putVersionAliases("latest", 1).build(), mask));
        assertThrows(InvalidArgumentException.class, () -> client.updateSecret(
                s.toBuilder().clearEtag().putVersionAliases("1st", 1).build(), mask));
        assertThrows(NotFoundException.class, () -> access(s.getName() + "/versions/previous"));
    }

    @Test
    void annotationsMustStayUnderSixteenKibibytes() {
        Secret s = create("s", Map.of());
        Secret big = s.toBuilder().clearEtag().putAnnotations("rotor.state", "x".repeat(16 * 1024)).build();
        assertThrows(InvalidArgumentException.class,
                () -> client.updateSecret(big, FieldMask.newBuilder().addPaths("annotations").build()));
        assertThrows(InvalidArgumentException.class, () -> client.createSecret(PROJECT, "bad-label",
                Secret.newBuilder().setReplication(AUTO).putLabels("Upper", "x").build()));
    }

    @Test
    void payloadChecksumAndSizeAreEnforced() {
        Secret s = create("s", Map.of());
        byte[] data = "hello".getBytes();
        CRC32C crc = new CRC32C();
        crc.update(data);
        SecretPayload good = SecretPayload.newBuilder().setData(ByteString.copyFrom(data)).setDataCrc32C(crc.getValue()).build();
        SecretVersion v = client.addSecretVersion(s.getName(), good);
        assertTrue(v.getClientSpecifiedPayloadChecksum());
        assertEquals(crc.getValue(), client.accessSecretVersion(v.getName()).getPayload().getDataCrc32C());

        SecretPayload bad = good.toBuilder().setDataCrc32C(crc.getValue() + 1).build();
        assertThrows(InvalidArgumentException.class, () -> client.addSecretVersion(s.getName(), bad));
        SecretPayload huge = SecretPayload.newBuilder().setData(ByteString.copyFrom(new byte[64 * 1024 + 1])).build();
        assertThrows(InvalidArgumentException.class, () -> client.addSecretVersion(s.getName(), huge));
        assertEquals(1, client.listSecretVersions(s.getName()).getPage().getResponse().getVersionsCount());
    }

    @Test
    void listsNewestFirstWithLabelFiltersAndPaging() {
        for (int i = 0; i < 5; i++) {
            create("managed-" + i, Map.of("rotor", "managed"));
            env.clock.advance(Duration.ofSeconds(1));
        }
        create("other", Map.of("team", "x"));
        ListSecretsRequest request = ListSecretsRequest.newBuilder().setParent(PROJECT)
                .setFilter("labels.rotor=managed").setPageSize(2).build();
        SecretManagerServiceClient.ListSecretsPagedResponse response = client.listSecrets(request);
        assertEquals(0, response.getPage().getResponse().getTotalSize());
        assertEquals(2, response.getPage().getPageElementCount());
        List<String> names = new ArrayList<>();
        response.iterateAll().forEach(s -> names.add(s.getName().substring(s.getName().lastIndexOf('/') + 1)));
        assertEquals(List.of("managed-4", "managed-3", "managed-2", "managed-1", "managed-0"), names);
        assertThrows(InvalidArgumentException.class, () -> client.listSecrets(
                ListSecretsRequest.newBuilder().setParent(PROJECT).setFilter("labels.rotor~managed").build()));
    }

    @Test
    void versionEtagsGuardStateChanges() {
        Secret s = create("s", Map.of());
        SecretVersion v = add(s, "x");
        SecretVersion disabled = client.disableSecretVersion(
                DisableSecretVersionRequest.newBuilder().setName(v.getName()).setEtag(v.getEtag()).build());
        assertNotEquals(v.getEtag(), disabled.getEtag());
        assertThrows(FailedPreconditionException.class, () -> client.disableSecretVersion(
                DisableSecretVersionRequest.newBuilder().setName(v.getName()).setEtag(v.getEtag()).build()));
    }

    @Test
    void cmekSecretsReportTheKeyVersionUsed() {
        String key = "projects/demo-project/locations/global/keyRings/rotor/cryptoKeys/secrets";
        Secret s = client.createSecret(PROJECT, "cmek", Secret.newBuilder().setReplication(Replication.newBuilder()
                .setAutomatic(Replication.Automatic.newBuilder().setCustomerManagedEncryption(
                        CustomerManagedEncryption.newBuilder().setKmsKeyName(key)))).build());
        SecretVersion v = add(s, "x");
        assertEquals(key + "/cryptoKeyVersions/1",
                v.getReplicationStatus().getAutomatic().getCustomerManagedEncryption().getKmsKeyVersionName());
    }

    @Test
    void faultBeforeTheCallChangesNothing() {
        Secret s = create("s", Map.of());
        env.emulator.faults().fail("AddSecretVersion", Status.Code.UNAVAILABLE, Faults.When.BEFORE, 1);
        assertThrows(UnavailableException.class, () -> add(s, "x"));
        assertEquals(0, client.listSecretVersions(s.getName()).getPage().getResponse().getVersionsCount());
        assertEquals("y", access(add(s, "y").getName()));
    }

    @Test
    void faultAfterTheCallLosesTheAnswerButKeepsTheEffect() {
        Secret s = create("s", Map.of());
        env.emulator.faults().fail("AddSecretVersion", Status.Code.DEADLINE_EXCEEDED, Faults.When.AFTER, 1);
        ApiException e = assertThrows(ApiException.class, () -> add(s, "x"));
        assertEquals(io.grpc.Status.Code.DEADLINE_EXCEEDED.name(), e.getStatusCode().getCode().name());
        assertEquals("x", access(SecretVersionName.of("demo-project", "s", "1").toString()));
    }

    @Test
    void accessIsRetriedByTheClientOnUnavailable() {
        Secret s = create("s", Map.of());
        SecretVersion v = add(s, "x");
        env.emulator.faults().fail("AccessSecretVersion", Status.Code.UNAVAILABLE, Faults.When.BEFORE, 2);
        assertEquals("x", access(v.getName()));
        assertEquals(3, env.emulator.faults().calls("AccessSecretVersion"));
    }

    @Test
    void writeQuotaGivesResourceExhaustedUntilTheNextMinute() {
        env.emulator.quotas().limit("secretmanager.write", 3);
        env.clock.set(EmulatedContext.START.plusSeconds(60 * 100));
        for (int i = 0; i < 3; i++) {
            create("q" + i, Map.of());
        }
        assertThrows(ResourceExhaustedException.class, () -> create("q3", Map.of()));
        // reads have their own quota
        client.getSecret(PROJECT + "/secrets/q0");
        env.clock.advance(Duration.ofMinutes(1));
        create("q3", Map.of());
    }

    @Test
    void latencyBeyondTheClientTimeoutIsADeadlineExceeded() {
        Secret s = create("s", Map.of());
        env.emulator.faults().latency("GetSecret", Duration.ofSeconds(5));
        assertThrows(DeadlineExceededException.class, () -> client.getSecret(s.getName()));
    }

    @Test
    void addVersionToAMissingSecretIsNotFound() {
        assertThrows(NotFoundException.class, () -> client.addSecretVersion(AddSecretVersionRequest.newBuilder()
                .setParent(PROJECT + "/secrets/missing").setPayload(SecretPayload.newBuilder()
                        .setData(ByteString.copyFromUtf8("x"))).build()));
    }
}
