package dev.rotor.local;

import com.google.api.gax.rpc.FailedPreconditionException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.cloud.kms.v1.CryptoKey;
import com.google.cloud.kms.v1.CryptoKeyVersion;
import com.google.cloud.kms.v1.DecryptRequest;
import com.google.cloud.kms.v1.DecryptResponse;
import com.google.cloud.kms.v1.EncryptRequest;
import com.google.cloud.kms.v1.EncryptResponse;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.kms.v1.KeyRing;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Int64Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cloud KMS through the official client (gcp-api-facts §2). */
class KmsEmulatorTest {
    private final EmulatedContext env = new EmulatedContext();
    private final KeyManagementServiceClient kms = env.bean(KeyManagementServiceClient.class);
    private final String key;

    KmsEmulatorTest() {
        KeyRing ring = kms.createKeyRing("projects/demo-project/locations/global", "rotor", KeyRing.getDefaultInstance());
        key = kms.createCryptoKey(ring.getName(), "secrets", CryptoKey.newBuilder()
                .setPurpose(CryptoKey.CryptoKeyPurpose.ENCRYPT_DECRYPT).build()).getName();
    }

    @AfterEach
    void close() {
        env.close();
    }

    private static long crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }

    private EncryptResponse encrypt(String name, String plaintext, String aad) {
        return kms.encrypt(EncryptRequest.newBuilder().setName(name).setPlaintext(ByteString.copyFromUtf8(plaintext))
                .setPlaintextCrc32C(Int64Value.of(crc(plaintext.getBytes())))
                .setAdditionalAuthenticatedData(ByteString.copyFromUtf8(aad)).build());
    }

    private DecryptResponse decrypt(String name, ByteString ciphertext, String aad) {
        return kms.decrypt(DecryptRequest.newBuilder().setName(name).setCiphertext(ciphertext)
                .setAdditionalAuthenticatedData(ByteString.copyFromUtf8(aad)).build());
    }

    @Test
    void encryptsWithThePrimaryAndDecryptsBoundToTheAdditionalData() {
        EncryptResponse e = encrypt(key, "hello", "projects/p/secrets/a");
        assertEquals(key + "/cryptoKeyVersions/1", e.getName());
        assertTrue(e.getVerifiedPlaintextCrc32C());
        assertEquals(crc(e.getCiphertext().toByteArray()), e.getCiphertextCrc32C().getValue());
        assertFalse(e.getCiphertext().toStringUtf8().contains("hello"));
        DecryptResponse d = decrypt(key, e.getCiphertext(), "projects/p/secrets/a");
        assertEquals("hello", d.getPlaintext().toStringUtf8());
        assertTrue(d.getUsedPrimary());
        assertThrows(InvalidArgumentException.class, () -> decrypt(key, e.getCiphertext(), "projects/p/secrets/b"));
        byte[] tampered = e.getCiphertext().toByteArray();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(InvalidArgumentException.class, () -> decrypt(key, ByteString.copyFrom(tampered), "projects/p/secrets/a"));
        assertThrows(InvalidArgumentException.class, () -> decrypt(key + "/cryptoKeyVersions/1", e.getCiphertext(),
                "projects/p/secrets/a"));
    }

    @Test
    void rotatingThePrimaryKeepsOldCiphertextReadableUntilItsVersionIsDisabled() {
        EncryptResponse old = encrypt(key, "v1", "aad");
        CryptoKeyVersion v2 = kms.createCryptoKeyVersion(key, CryptoKeyVersion.getDefaultInstance());
        kms.updateCryptoKeyPrimaryVersion(key, "2");
        assertEquals(v2.getName(), encrypt(key, "x", "aad").getName());
        DecryptResponse d = decrypt(key, old.getCiphertext(), "aad");
        assertEquals("v1", d.getPlaintext().toStringUtf8());
        assertFalse(d.getUsedPrimary());
        kms.updateCryptoKeyVersion(CryptoKeyVersion.newBuilder().setName(key + "/cryptoKeyVersions/1")
                .setState(CryptoKeyVersion.CryptoKeyVersionState.DISABLED).build(),
                FieldMask.newBuilder().addPaths("state").build());
        FailedPreconditionException e = assertThrows(FailedPreconditionException.class,
                () -> decrypt(key, old.getCiphertext(), "aad"));
        assertTrue(e.getMessage().contains("is not enabled, current state is: DISABLED"), e.getMessage());
    }

    @Test
    void aChecksumMismatchIsRefused() {
        assertThrows(InvalidArgumentException.class, () -> kms.encrypt(EncryptRequest.newBuilder().setName(key)
                .setPlaintext(ByteString.copyFromUtf8("x")).setPlaintextCrc32C(Int64Value.of(1)).build()));
    }

    @Test
    void readMethodsDescribeKeyRingsKeysAndVersions() {
        String ring = "projects/demo-project/locations/global/keyRings/rotor";
        assertEquals(ring, kms.getKeyRing(ring).getName());
        assertEquals(java.util.List.of(ring), names(kms.listKeyRings("projects/demo-project/locations/global")
                .iterateAll(), KeyRing::getName));
        assertEquals(java.util.List.of(key), names(kms.listCryptoKeys(ring).iterateAll(), CryptoKey::getName));
        CryptoKeyVersion two = kms.createCryptoKeyVersion(key, CryptoKeyVersion.getDefaultInstance());
        CryptoKeyVersion one = kms.getCryptoKeyVersion(key + "/cryptoKeyVersions/1");
        assertEquals(CryptoKeyVersion.CryptoKeyVersionState.ENABLED, one.getState());
        assertEquals(com.google.cloud.kms.v1.ProtectionLevel.SOFTWARE, one.getProtectionLevel());
        assertEquals(CryptoKeyVersion.CryptoKeyVersionAlgorithm.GOOGLE_SYMMETRIC_ENCRYPTION, one.getAlgorithm());
        assertTrue(one.hasCreateTime());
        assertEquals(java.util.List.of(one.getName(), two.getName()),
                names(kms.listCryptoKeyVersions(key).iterateAll(), CryptoKeyVersion::getName));
        var page = kms.listCryptoKeyVersions(com.google.cloud.kms.v1.ListCryptoKeyVersionsRequest.newBuilder()
                .setParent(key).setPageSize(1).build()).getPage();
        assertEquals(1, page.getResponse().getCryptoKeyVersionsCount());
        assertEquals(2, page.getResponse().getTotalSize());
        assertThrows(com.google.api.gax.rpc.NotFoundException.class,
                () -> kms.getCryptoKeyVersion(key + "/cryptoKeyVersions/9"));
        assertThrows(com.google.api.gax.rpc.NotFoundException.class,
                () -> kms.getKeyRing("projects/demo-project/locations/global/keyRings/none"));
        assertThrows(InvalidArgumentException.class, () -> kms.listCryptoKeys(
                com.google.cloud.kms.v1.ListCryptoKeysRequest.newBuilder().setParent(ring).setFilter("x").build()));
    }

    private static <T> java.util.List<String> names(Iterable<T> items, java.util.function.Function<T, String> name) {
        java.util.List<String> out = new java.util.ArrayList<>();
        items.forEach(i -> out.add(name.apply(i)));
        return out;
    }
}
