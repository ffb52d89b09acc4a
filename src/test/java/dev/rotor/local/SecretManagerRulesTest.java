package dev.rotor.local;

import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.ResourceExhaustedException;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Rotation;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secret Manager's naming and request rules (gcp-api-facts §1.1, §1.4, §1.7, §1.9), with the official client. */
class SecretManagerRulesTest {
    private static final Replication AUTO = Replication.newBuilder()
            .setAutomatic(Replication.Automatic.getDefaultInstance()).build();
    private final EmulatedContext env = new EmulatedContext(Map.of("rotor.gcp.secret-manager.timeout", "2s"));
    private final SecretManagerServiceClient client = env.bean(SecretManagerServiceClient.class);
    private final String number = env.emulator.projects().number("demo-project");

    @AfterEach
    void close() {
        env.close();
    }

    private Secret create(String id, Secret.Builder b) {
        return client.createSecret("projects/demo-project", id, b.setReplication(AUTO).build());
    }

    private String add(String secret, String data) {
        return client.addSecretVersion(secret, SecretPayload.newBuilder().setData(ByteString.copyFromUtf8(data)).build())
                .getName();
    }

    @Test
    void namesAreAnsweredWithTheProjectNumberAndAcceptedInEitherForm() {
        assertTrue(number.matches("\\d{12}"), number);
        assertEquals(number, env.emulator.projects().number("demo-project"), "a project keeps its number");
        Secret s = create("db", Secret.newBuilder());
        assertEquals("projects/" + number + "/secrets/db", s.getName());
        assertEquals(s, client.getSecret("projects/demo-project/secrets/db"));
        assertEquals(s, client.getSecret("projects/" + number + "/secrets/db"));
        assertEquals("projects/" + number + "/secrets/db/versions/1", add("projects/demo-project/secrets/db", "a"));
        assertEquals("projects/" + number + "/secrets/db/versions/1",
                client.accessSecretVersion("projects/demo-project/secrets/db/versions/latest").getName());
        assertEquals(s.getName(), client.listSecrets("projects/" + number).iterateAll().iterator().next().getName());
        assertEquals(s.getName(), client.listSecrets("projects/demo-project").iterateAll().iterator().next().getName());
        assertThrows(com.google.api.gax.rpc.AlreadyExistsException.class,
                () -> client.createSecret("projects/" + number, "db", Secret.newBuilder().setReplication(AUTO).build()));
        assertFalse(client.listSecrets("projects/other-project").iterateAll().iterator().hasNext());
    }

    /** DeleteSecret takes either form too: a secret deleted by its project id is gone, not listed forever. */
    @Test
    void aSecretIsDeletedWhicheverFormNamesIt() {
        create("db", Secret.newBuilder());
        create("cache", Secret.newBuilder());
        client.deleteSecret("projects/demo-project/secrets/db");
        client.deleteSecret("projects/" + number + "/secrets/cache");
        assertThrows(NotFoundException.class,
                () -> client.getSecret("projects/demo-project/secrets/db"));
        assertThrows(NotFoundException.class,
                () -> client.getSecret("projects/demo-project/secrets/cache"));
        assertFalse(client.listSecrets("projects/demo-project").iterateAll().iterator().hasNext());
    }

    @Test
    void aProjectHasOneQuotaBucketWhicheverFormNamesIt() {
        env.emulator.quotas().limit("secretmanager.read", 2);
        create("db", Secret.newBuilder());
        client.getSecret("projects/demo-project/secrets/db");
        client.getSecret("projects/" + number + "/secrets/db");
        assertThrows(ResourceExhaustedException.class, () -> client.getSecret("projects/demo-project/secrets/db"));
        assertThrows(ResourceExhaustedException.class, () -> client.getSecret("projects/" + number + "/secrets/db"));
    }

    @Test
    void aSecretHasOneWriteRateWhicheverFormNamesIt() {
        env.emulator.quotas().perResource(true);
        create("db", Secret.newBuilder());
        add("projects/demo-project/secrets/db", "a");
        add("projects/" + number + "/secrets/db", "b");
        assertThrows(ResourceExhaustedException.class, () -> add("projects/demo-project/secrets/db", "c"));
        assertThrows(ResourceExhaustedException.class, () -> add("projects/" + number + "/secrets/db", "c"));
    }

    @Test
    void aliasesAndLatestWorkOnlyWhereGoogleDocumentsThem() {
        String name = create("db", Secret.newBuilder()).getName();
        add(name, "a");
        client.updateSecret(Secret.newBuilder().setName(name).putVersionAliases("current", 1).build(),
                FieldMask.newBuilder().addPaths("version_aliases").build());
        assertEquals(name + "/versions/1", client.getSecretVersion(name + "/versions/current").getName());
        assertEquals("a", client.accessSecretVersion(name + "/versions/current").getPayload().getData().toStringUtf8());
        for (String id : new String[] {"current", "latest"}) {
            assertThrows(InvalidArgumentException.class, () -> client.disableSecretVersion(name + "/versions/" + id));
            assertThrows(InvalidArgumentException.class, () -> client.enableSecretVersion(name + "/versions/" + id));
            assertThrows(InvalidArgumentException.class, () -> client.destroySecretVersion(name + "/versions/" + id));
        }
        assertEquals(com.google.cloud.secretmanager.v1.SecretVersion.State.ENABLED,
                client.getSecretVersion(name + "/versions/1").getState(), "a refused call changes nothing");
    }

    @Test
    void ttlIsInputOnlyAndReadBackAsExpireTimeAfterWhichTheSecretIsGone() {
        Secret s = create("temp", Secret.newBuilder().setTtl(Duration.newBuilder().setSeconds(3600)));
        assertFalse(s.hasTtl());
        assertEquals(EmulatedContext.START.getEpochSecond() + 3600, s.getExpireTime().getSeconds());
        assertEquals(s.getExpireTime(), client.getSecret(s.getName()).getExpireTime());
        add(s.getName(), "x");
        env.clock.advance(java.time.Duration.ofHours(1));
        assertThrows(NotFoundException.class, () -> client.getSecret(s.getName()));
        assertThrows(NotFoundException.class, () -> client.accessSecretVersion(s.getName() + "/versions/1"));
        assertFalse(client.listSecrets("projects/demo-project").iterateAll().iterator().hasNext());
        assertThrows(InvalidArgumentException.class,
                () -> create("never", Secret.newBuilder().setTtl(Duration.newBuilder().setSeconds(-5))));
    }

    @Test
    void rotationPoliciesFollowTheDocumentedBounds() {
        long now = EmulatedContext.START.getEpochSecond();
        Timestamp soon = Timestamp.newBuilder().setSeconds(now + 60).build();
        Timestamp later = Timestamp.newBuilder().setSeconds(now + 3600).build();
        assertThrows(InvalidArgumentException.class, () -> create("r1", Secret.newBuilder()
                .setRotation(Rotation.newBuilder().setNextRotationTime(soon))));
        assertThrows(InvalidArgumentException.class, () -> create("r2", Secret.newBuilder()
                .setRotation(Rotation.newBuilder().setRotationPeriod(Duration.newBuilder().setSeconds(7200)))));
        assertThrows(InvalidArgumentException.class, () -> create("r3", Secret.newBuilder()
                .setRotation(Rotation.newBuilder().setNextRotationTime(later)
                        .setRotationPeriod(Duration.newBuilder().setSeconds(60)))));
        Secret ok = create("r4", Secret.newBuilder().setRotation(Rotation.newBuilder().setNextRotationTime(later)
                .setRotationPeriod(Duration.newBuilder().setSeconds(7200))));
        env.clock.advance(java.time.Duration.ofHours(2));
        client.updateSecret(ok.toBuilder().putAnnotations("a", "b").setEtag("").build(),
                FieldMask.newBuilder().addPaths("annotations").build()); // an old rotation policy is not re-checked
        assertThrows(InvalidArgumentException.class, () -> create("many-topics", Secret.newBuilder()
                .addAllTopics(java.util.Collections.nCopies(11, com.google.cloud.secretmanager.v1.Topic.newBuilder()
                        .setName("projects/demo-project/topics/t").build()))));
    }
}
