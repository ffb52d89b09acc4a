package dev.rotor;

import com.google.cloud.kms.v1.DecryptRequest;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.protobuf.ByteString;
import dev.rotor.secret.EnvelopeReader;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Consumer helper: {@code java -cp rotor.jar dev.rotor.Decrypt projects/P/secrets/S/versions/N} reads that
 * version with Application Default Credentials, opens the Rotor envelope with Cloud KMS, and writes the
 * plaintext to standard output (nothing else is written there). Name the project by its id, not its number:
 * the envelope is bound to {@code projects/PROJECT_ID/secrets/S} ({@link EnvelopeReader#additionalData}). The caller needs
 * {@code secretmanager.versions.access} on the secret and {@code cloudkms.cryptoKeyVersions.useToDecrypt}
 * on the key.
 */
public final class Decrypt {
    private Decrypt() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !args[0].matches("projects/[^/]+/secrets/[^/]+/versions/[^/]+")) {
            throw new IllegalArgumentException("usage: dev.rotor.Decrypt projects/P/secrets/S/versions/N");
        }
        String version = args[0];
        String secret = EnvelopeReader.additionalData(version.substring(0, version.indexOf("/versions/")));
        try (SecretManagerServiceClient sm = SecretManagerServiceClient.create();
             KeyManagementServiceClient kms = KeyManagementServiceClient.create()) {
            byte[] plaintext = open(sm, kms, version, secret);
            OutputStream out = new FileOutputStream(FileDescriptor.out);
            out.write(plaintext);
            out.flush();
        }
    }

    /** The plaintext of an envelope version, with the given clients. */
    public static byte[] open(SecretManagerServiceClient sm, KeyManagementServiceClient kms, String version,
                              String secret) {
        byte[] envelope = sm.accessSecretVersion(version).getPayload().getData().toByteArray();
        return EnvelopeReader.open(envelope, secret, (key, ciphertext, aad) -> kms.decrypt(DecryptRequest.newBuilder()
                .setName(key).setCiphertext(ByteString.copyFrom(ciphertext))
                .setAdditionalAuthenticatedData(ByteString.copyFrom(aad)).build()).getPlaintext().toByteArray());
    }
}
