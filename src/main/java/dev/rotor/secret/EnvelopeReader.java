package dev.rotor.secret;

import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * For consumers: opens a Rotor envelope read from Secret Manager. Give it the payload, the secret's
 * resource name ({@code projects/P/secrets/S}, the additional authenticated data) and a KMS decrypt call:
 * <pre>{@code
 * byte[] plaintext = EnvelopeReader.open(payload, "projects/p/secrets/db",
 *         (key, ciphertext, aad) -> kms.decrypt(DecryptRequest.newBuilder().setName(key)
 *                 .setCiphertext(ByteString.copyFrom(ciphertext))
 *                 .setAdditionalAuthenticatedData(ByteString.copyFrom(aad)).build()).getPlaintext().toByteArray());
 * }</pre>
 * {@code java -cp rotor.jar dev.rotor.Decrypt projects/P/secrets/S/versions/N} does the same from a shell.
 */
public final class EnvelopeReader {
    /** Decrypts {@code ciphertext} with {@code cryptoKey}, bound to {@code aad}. */
    @FunctionalInterface
    public interface Decrypt {
        byte[] decrypt(String cryptoKey, byte[] ciphertext, byte[] aad);
    }

    private EnvelopeReader() {
    }

    public static byte[] open(byte[] envelope, String secretName, Decrypt kms) {
        Map<?, ?> doc;
        try {
            doc = ObjectMapper.getDefault().readValue(envelope, Map.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the payload is not a Rotor envelope");
        }
        if (!(doc.get("rotorEnvelope") instanceof Number n) || n.intValue() != Envelopes.FORMAT
                || !(doc.get("key") instanceof String keyVersion) || !(doc.get("ciphertext") instanceof String ct)) {
            throw new IllegalArgumentException("the payload is not a Rotor envelope of format " + Envelopes.FORMAT);
        }
        int v = keyVersion.indexOf("/cryptoKeyVersions/");
        String cryptoKey = v < 0 ? keyVersion : keyVersion.substring(0, v); // Decrypt takes the CryptoKey (§2.2)
        return kms.decrypt(cryptoKey, Base64.getDecoder().decode(ct), secretName.getBytes(StandardCharsets.UTF_8));
    }
}
