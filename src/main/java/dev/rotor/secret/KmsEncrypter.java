package dev.rotor.secret;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.kms.v1.DecryptRequest;
import com.google.cloud.kms.v1.DecryptResponse;
import com.google.cloud.kms.v1.EncryptRequest;
import com.google.cloud.kms.v1.EncryptResponse;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import dev.rotor.error.RemoteException;
import dev.rotor.gcp.GoogleErrors;
import jakarta.inject.Singleton;

/**
 * {@link KeyEncrypter} on the official KMS client, with the integrity checks Google asks for: send CRC32C of
 * the plaintext and the additional data, require the {@code verified_*} flags, and check the returned
 * ciphertext's (and on decrypt, the plaintext's) CRC32C (gcp-api-facts §2.1, §2.2).
 */
@Singleton
public final class KmsEncrypter implements KeyEncrypter {
    private final KeyManagementServiceClient client;

    public KmsEncrypter(KeyManagementServiceClient client) {
        this.client = client;
    }

    @Override
    public Sealed encrypt(String cryptoKey, byte[] plaintext, byte[] aad) {
        EncryptResponse r;
        try {
            r = client.encrypt(EncryptRequest.newBuilder().setName(cryptoKey)
                    .setPlaintext(ByteString.copyFrom(plaintext)).setPlaintextCrc32C(Int64Value.of(Crc.of(plaintext)))
                    .setAdditionalAuthenticatedData(ByteString.copyFrom(aad))
                    .setAdditionalAuthenticatedDataCrc32C(Int64Value.of(Crc.of(aad))).build());
        } catch (ApiException e) {
            throw GoogleErrors.map("Encrypt with " + cryptoKey, e);
        }
        byte[] ciphertext = r.getCiphertext().toByteArray();
        if (!r.getVerifiedPlaintextCrc32C() || !r.getVerifiedAdditionalAuthenticatedDataCrc32C()
                || r.getCiphertextCrc32C().getValue() != Crc.of(ciphertext)) {
            throw new RemoteException.Retryable("Encrypt with " + cryptoKey + " failed its integrity check; "
                    + "nothing was published", null);
        }
        return new Sealed(r.getName(), ciphertext);
    }

    @Override
    public byte[] decrypt(String cryptoKey, byte[] ciphertext, byte[] aad) {
        DecryptResponse r;
        try {
            r = client.decrypt(DecryptRequest.newBuilder().setName(cryptoKey)
                    .setCiphertext(ByteString.copyFrom(ciphertext)).setCiphertextCrc32C(Int64Value.of(Crc.of(ciphertext)))
                    .setAdditionalAuthenticatedData(ByteString.copyFrom(aad))
                    .setAdditionalAuthenticatedDataCrc32C(Int64Value.of(Crc.of(aad))).build());
        } catch (ApiException e) {
            throw GoogleErrors.map("Decrypt with " + cryptoKey, e);
        }
        byte[] plaintext = r.getPlaintext().toByteArray();
        if (r.getPlaintextCrc32C().getValue() != Crc.of(plaintext)) {
            throw new RemoteException.Retryable("Decrypt with " + cryptoKey + " failed its integrity check", null);
        }
        return plaintext;
    }
}
