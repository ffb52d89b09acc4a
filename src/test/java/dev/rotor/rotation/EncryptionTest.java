package dev.rotor.rotation;

import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.cloud.kms.v1.CryptoKeyVersion;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.secretmanager.v1.CustomerManagedEncryption;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.protobuf.FieldMask;
import dev.rotor.Decrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rotor.encryption: cmek refusal, and envelopes that only the right secret can open (DESIGN §6). */
class EncryptionTest {
    static final String KEY = "projects/demo-project/locations/global/keyRings/rotor/cryptoKeys/secrets";
    private final Engine engine = new Engine();
    private final KeyManagementServiceClient kms = engine.env.bean(KeyManagementServiceClient.class);

    EncryptionTest() {
        engine.env.emulator.kms().createKeyRing("projects/demo-project/locations/global", "rotor");
        engine.env.emulator.kms().createCryptoKey("projects/demo-project/locations/global/keyRings/rotor", "secrets");
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void envelopesHoldOnlyCiphertextAndTheDecryptHelperOpensThem() {
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.length", "40", "rotor.format", "alnum",
                "rotor.encryption", "envelope:" + KEY));
        assertEquals(1, engine.run().summary().rotated());
        String stored = engine.access("db", "current");
        assertTrue(stored.startsWith("{\"rotorEnvelope\":1,\"key\":\"" + KEY + "/cryptoKeyVersions/1\""), stored);
        byte[] plaintext = Decrypt.open(engine.client, kms, Engine.name("db") + "/versions/1", Engine.name("db"));
        String value = new String(plaintext, StandardCharsets.UTF_8);
        assertEquals(40, value.length());
        assertTrue(value.chars().allMatch(Character::isLetterOrDigit));
        assertFalse(stored.contains(value));
    }

    @Test
    void anEnvelopeCopiedIntoAnotherSecretDoesNotDecrypt() {
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.encryption", "envelope:" + KEY));
        engine.run();
        engine.declare("copy", Map.of());
        engine.client.addSecretVersion(Engine.name("copy"), SecretPayload.newBuilder()
                .setData(engine.client.accessSecretVersion(Engine.name("db") + "/versions/1").getPayload().getData()).build());
        assertThrows(InvalidArgumentException.class,
                () -> Decrypt.open(engine.client, kms, Engine.name("copy") + "/versions/1", Engine.name("copy")));
    }

    @Test
    void aDisabledKeyVersionFailsTheRotationCleanly() {
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.encryption", "envelope:" + KEY));
        kms.updateCryptoKeyVersion(CryptoKeyVersion.newBuilder().setName(KEY + "/cryptoKeyVersions/1")
                .setState(CryptoKeyVersion.CryptoKeyVersionState.DISABLED).build(),
                FieldMask.newBuilder().addPaths("state").build());
        RunReport r = engine.run();
        assertEquals(1, r.summary().failed());
        String error = r.secrets().getFirst().error();
        assertTrue(error.contains("FAILED_PRECONDITION") && error.contains("nothing was published"), error);
        assertTrue(engine.versions("db").isEmpty());
    }

    @Test
    void cmekIsRequiredWhereDeclared() {
        engine.declare("plain", Map.of("rotor.kind", "generated", "rotor.encryption", "cmek"));
        engine.client.createSecret("projects/demo-project", "protected", Secret.newBuilder()
                .putLabels("rotor", "managed").putAnnotations("rotor.kind", "generated")
                .putAnnotations("rotor.encryption", "cmek")
                .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.newBuilder()
                        .setCustomerManagedEncryption(CustomerManagedEncryption.newBuilder().setKmsKeyName(KEY)))).build());
        RunReport r = engine.run();
        assertEquals(1, r.summary().misconfigured(), r.toString());
        assertEquals(1, r.summary().rotated());
        assertTrue(engine.versions("plain").isEmpty());
        assertEquals(1, engine.versions("protected").size());
    }
}
