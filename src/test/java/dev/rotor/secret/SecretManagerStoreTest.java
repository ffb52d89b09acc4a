package dev.rotor.secret;

import com.google.cloud.secretmanager.v1.CustomerManagedEncryption;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.protobuf.Duration;
import dev.rotor.credential.Sleeper;
import dev.rotor.error.RemoteException;
import dev.rotor.local.EmulatedContext;
import dev.rotor.local.faults.Faults;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Secret Manager adapter through the official client against the emulator (gcp-api-facts §1): what it reads
 * into Rotor's records, how the etag guard and FAILED_PRECONDITION are told apart, and which failures it retries.
 * One emulated context for the class; each test has secrets of its own and clears its faults.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretManagerStoreTest {
    private static final String PROJECT = "demo-project";
    private static final String KMS_KEY = "projects/demo-project/locations/global/keyRings/r/cryptoKeys/k";
    private static final Replication AUTO = Replication.newBuilder()
            .setAutomatic(Replication.Automatic.getDefaultInstance()).build();
    private final List<java.time.Duration> waits = new CopyOnWriteArrayList<>();
    private EmulatedContext env;
    private SecretStore store;
    private SecretManagerServiceClient client;

    @BeforeAll
    void start() {
        env = new EmulatedContext(Map.of("rotor.retry.base-delay", "0ms"), Map.of(Sleeper.class, (Sleeper) waits::add));
        store = env.bean(SecretStore.class);
        client = env.bean(SecretManagerServiceClient.class);
    }

    @AfterEach
    void clearFaults() {
        env.emulator.faults().clear();
        waits.clear();
    }

    @AfterAll
    void stop() {
        env.close();
    }

    private SecretRef create(String id, Secret.Builder secret) {
        client.createSecret("projects/" + PROJECT, id, secret.build());
        return new SecretRef(PROJECT, id);
    }

    private SecretRef managed(String id) {
        return create(id, Secret.newBuilder().setReplication(AUTO).putLabels("rotor", "managed"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private long addSecretVersionCalls() {
        return env.emulator.faults().calls("AddSecretVersion");
    }

    @Test
    void theListingHoldsOnlyManagedSecretsNamedByProjectIdWhateverGoogleAnswers() {
        SecretRef listed = create("listed", Secret.newBuilder().setReplication(AUTO).putLabels("rotor", "managed")
                .putAnnotations("rotor.kind", "generated").setVersionDestroyTtl(Duration.newBuilder().setSeconds(86400)));
        create("unlabelled", Secret.newBuilder().setReplication(AUTO));
        List<ManagedSecret> all = store.listManaged(PROJECT);
        ManagedSecret s = all.stream().filter(m -> m.ref().equals(listed)).findFirst().orElseThrow();
        assertTrue(all.stream().noneMatch(m -> m.ref().secret().equals("unlabelled")), all.toString());
        assertTrue(all.stream().allMatch(ManagedSecret::managed));
        assertEquals(Map.of("rotor.kind", "generated"), s.annotations());
        assertEquals(java.time.Duration.ofDays(1), s.versionDestroyTtl());
        assertEquals(Optional.empty(), s.cmekKey());
        assertFalse(s.etag().isEmpty());
        assertEquals(env.clock.instant(), s.createdAt());
        assertEquals(Optional.of(env.emulator.projects().number(PROJECT)), env.bean(ProjectNumbers.class).of(PROJECT),
                "Google's answer named the project by number, and Rotor learnt it");
    }

    @Test
    void aSecretWithoutTheManagedLabelIsReadAsUnmanaged() {
        assertFalse(store.get(create("plain", Secret.newBuilder().setReplication(AUTO))).managed());
        assertThrows(RemoteException.NotFound.class, () -> store.get(new SecretRef(PROJECT, "missing")));
    }

    @Test
    void theCmekKeyIsReadFromAutomaticOrUserManagedReplication() {
        CustomerManagedEncryption cmek = CustomerManagedEncryption.newBuilder().setKmsKeyName(KMS_KEY).build();
        SecretRef automatic = create("cmek-auto", Secret.newBuilder().setReplication(Replication.newBuilder()
                .setAutomatic(Replication.Automatic.newBuilder().setCustomerManagedEncryption(cmek))));
        assertEquals(Optional.of(KMS_KEY), store.get(automatic).cmekKey());
        SecretRef userManaged = create("cmek-user", Secret.newBuilder().setReplication(Replication.newBuilder()
                .setUserManaged(Replication.UserManaged.newBuilder()
                        .addReplicas(Replication.UserManaged.Replica.newBuilder().setLocation("europe-west1"))
                        .addReplicas(Replication.UserManaged.Replica.newBuilder().setLocation("europe-west4")
                                .setCustomerManagedEncryption(cmek)))));
        assertEquals(Optional.of(KMS_KEY), store.get(userManaged).cmekKey(), "the first replica that has one");
        SecretRef plainUser = create("user-plain", Secret.newBuilder().setReplication(Replication.newBuilder()
                .setUserManaged(Replication.UserManaged.newBuilder()
                        .addReplicas(Replication.UserManaged.Replica.newBuilder().setLocation("europe-west1")))));
        assertEquals(Optional.empty(), store.get(plainUser).cmekKey());
    }

    @Test
    void anAddedVersionIsReadBackByTheNumberGoogleReturnedWithItsChecksum() {
        SecretRef ref = managed("added");
        assertEquals(1L, store.addVersion(ref, bytes("one")));
        assertEquals(2L, store.addVersion(ref, bytes("two")));
        assertArrayEquals(bytes("one"), store.access(ref, 1));
        assertTrue(client.getSecretVersion(ref.version(2)).getClientSpecifiedPayloadChecksum(),
                "AddSecretVersion carried data_crc32c");
        VersionInfo v = store.version(ref, 2).orElseThrow();
        assertEquals(new VersionInfo(2, VersionInfo.State.ENABLED, env.clock.instant(), Optional.empty()), v);
        assertEquals(Optional.empty(), store.version(ref, 3));
        assertEquals(List.of(2L, 1L), store.versions(ref).stream().map(VersionInfo::number).toList());
    }

    @Test
    void versionStatesAreReadAsGoogleReportsThem() {
        SecretRef ref = managed("states");
        store.addVersion(ref, bytes("one"));
        store.addVersion(ref, bytes("two"));
        store.addVersion(ref, bytes("three"));
        store.disable(ref, 1);
        store.destroy(ref, 2);
        store.disable(ref, 3);
        store.enable(ref, 3);
        assertEquals(List.of(VersionInfo.State.ENABLED, VersionInfo.State.DESTROYED, VersionInfo.State.DISABLED),
                store.versions(ref).stream().map(VersionInfo::state).toList());
        assertFalse(store.version(ref, 1).orElseThrow().enabled());
        assertTrue(store.version(ref, 3).orElseThrow().enabled());
    }

    @Test
    void withADestroyTtlADestroyOnlySchedulesTheDestruction() {
        SecretRef ref = create("ttl", Secret.newBuilder().setReplication(AUTO)
                .setVersionDestroyTtl(Duration.newBuilder().setSeconds(86400)));
        store.addVersion(ref, bytes("one"));
        store.destroy(ref, 1);
        VersionInfo v = store.version(ref, 1).orElseThrow();
        assertEquals(VersionInfo.State.DISABLED, v.state());
        assertEquals(Optional.of(env.clock.instant().plus(java.time.Duration.ofDays(1))), v.scheduledDestroy());
    }

    @Test
    void anUpdateWithTheCurrentEtagWritesAnnotationsAndAliasesAndMovesTheEtag() {
        SecretRef ref = managed("update");
        store.addVersion(ref, bytes("one"));
        ManagedSecret before = store.get(ref);
        ManagedSecret after = store.update(ref, before.etag(), Map.of("rotor.state", "{}"), Map.of("current", 1L));
        assertEquals(Map.of("rotor.state", "{}"), after.annotations());
        assertEquals(Map.of("current", 1L), after.aliases());
        assertNotEquals(before.etag(), after.etag());
        assertEquals(after, store.get(ref));
    }

    @Test
    void anUpdateWithAStaleEtagIsAConflictWithAnotherWriter() {
        SecretRef ref = managed("stale");
        String stale = store.get(ref).etag();
        store.update(ref, stale, Map.of("owner", "other-writer"), Map.of());
        RemoteException e = assertThrows(RemoteException.Conflict.class,
                () -> store.update(ref, stale, Map.of("owner", "rotor"), Map.of()));
        assertEquals("UpdateSecret projects/demo-project/secrets/stale: the etag no longer matches; another writer "
                + "changed the secret first", e.getMessage());
        assertEquals(Map.of("owner", "other-writer"), store.get(ref).annotations(), "nothing was changed");
    }

    @Test
    void aFailedPreconditionWhileTheEtagStillMatchesIsNotAConflict() {
        SecretRef ref = managed("precondition");
        String etag = store.get(ref).etag();
        env.emulator.faults().fail("UpdateSecret", Status.Code.FAILED_PRECONDITION, Faults.When.BEFORE, 1);
        RemoteException e = assertThrows(RemoteException.FailedPrecondition.class,
                () -> store.update(ref, etag, Map.of("owner", "rotor"), Map.of()));
        assertTrue(e.getMessage().startsWith("UpdateSecret projects/demo-project/secrets/precondition failed: "
                + "FAILED_PRECONDITION"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(the etag still matches, so this is not a concurrent write; nothing was "
                + "changed)"), e.getMessage());
    }

    @Test
    void whenTheEtagCannotBeReadAfterARefusalTheRefusalIsReportedAsItIs() {
        SecretRef ref = managed("unreadable");
        String etag = store.get(ref).etag();
        env.emulator.faults().fail("UpdateSecret", Status.Code.FAILED_PRECONDITION, Faults.When.BEFORE, 1);
        env.emulator.faults().fail("GetSecret", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1);
        RemoteException e = assertThrows(RemoteException.FailedPrecondition.class,
                () -> store.update(ref, etag, Map.of("owner", "rotor"), Map.of()));
        assertFalse(e.getMessage().contains("etag"), e.getMessage());
    }

    @Test
    void aWriteRefusedForQuotaIsTriedAgainAfterABackOffBecauseItDidNotRun() {
        SecretRef ref = managed("quota");
        long before = addSecretVersionCalls();
        env.emulator.faults().fail("AddSecretVersion", Status.Code.RESOURCE_EXHAUSTED, Faults.When.BEFORE, 2);
        assertEquals(1L, store.addVersion(ref, bytes("one")));
        assertEquals(3, addSecretVersionCalls() - before);
        assertEquals(List.of(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2)), waits);
        assertEquals(1, store.versions(ref).size());
    }

    @Test
    void aWriteRefusedForQuotaMoreOftenThanConfiguredFailsRetryably() {
        SecretRef ref = managed("quota-out");
        env.emulator.faults().fail("AddSecretVersion", Status.Code.RESOURCE_EXHAUSTED, Faults.When.BEFORE, 5);
        long before = addSecretVersionCalls();
        RemoteException e = assertThrows(RemoteException.Retryable.class, () -> store.addVersion(ref, bytes("one")));
        assertTrue(e.getMessage().startsWith("AddSecretVersion projects/demo-project/secrets/quota-out failed: "
                + "RESOURCE_EXHAUSTED"), e.getMessage());
        assertEquals(5, addSecretVersionCalls() - before, "one try and rotor.quota...quota-retries (4) more");
        assertEquals(List.of(), store.versions(ref));
        String etag = store.get(ref).etag();
        env.emulator.faults().fail("UpdateSecret", Status.Code.RESOURCE_EXHAUSTED, Faults.When.BEFORE, 5);
        assertThrows(RemoteException.Retryable.class, () -> store.update(ref, etag, Map.of("a", "b"), Map.of()));
    }

    @Test
    void anAddWhoseAnswerWasLostIsNotRepeatedBecauseItMayHaveLanded() {
        SecretRef ref = managed("lost");
        env.emulator.faults().fail("AddSecretVersion", Status.Code.UNAVAILABLE, Faults.When.AFTER, 1);
        long before = addSecretVersionCalls();
        assertThrows(RemoteException.Retryable.class, () -> store.addVersion(ref, bytes("one")));
        assertEquals(1, addSecretVersionCalls() - before);
        assertEquals(1, store.versions(ref).size(), "it landed: a retry would have made a duplicate");
    }

    @Test
    void idempotentCallsAreRetriedOnARetryableStatus() {
        SecretRef ref = managed("flaky");
        store.addVersion(ref, bytes("one"));
        // three failures are more than the client library's own attempts (3 in tests): Rotor's Retrier goes on
        for (String method : List.of("GetSecret", "AccessSecretVersion", "DisableSecretVersion", "ListSecrets")) {
            env.emulator.faults().fail(method, Status.Code.UNAVAILABLE, Faults.When.BEFORE, 3);
        }
        assertTrue(store.get(ref).managed());
        assertArrayEquals(bytes("one"), store.access(ref, 1));
        store.disable(ref, 1);
        assertFalse(store.version(ref, 1).orElseThrow().enabled());
        assertTrue(store.listManaged(PROJECT).stream().anyMatch(m -> m.ref().equals(ref)));
    }
}
