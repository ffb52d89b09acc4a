package dev.rotor.secret;

import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * For consumers: opens a Rotor envelope read from Secret Manager. Give it the payload, the secret's
 * resource name with the project <em>id</em> ({@code projects/PROJECT_ID/secrets/S}, the additional
 * authenticated data) and a KMS decrypt call. The id form is the one documented form: Secret Manager's own
 * answers carry the project number ({@link SecretRef}), so never pass a name taken from a response; a number
 * is refused rather than failing later as a KMS "ciphertext is invalid".
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

    private static final Pattern SECRET_NAME = Pattern.compile("projects/[^/]+/secrets/[^/]+");

    private EnvelopeReader() {
    }

    public static byte[] open(byte[] envelope, String secretName, Decrypt kms) {
        String aad = additionalData(secretName);
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
        return kms.decrypt(cryptoKey, Base64.getDecoder().decode(ct), aad.getBytes(StandardCharsets.UTF_8));
    }

    /** The additional authenticated data for a secret: {@code projects/PROJECT_ID/secrets/S}. */
    public static String additionalData(String secretName) {
        if (!SECRET_NAME.matcher(secretName).matches()) {
            throw new IllegalArgumentException("'" + secretName + "' is not a secret name projects/PROJECT_ID/secrets/S");
        }
        if (SecretRef.projectNumberIn(secretName).isPresent()) {
            throw new IllegalArgumentException("'" + secretName + "' names the project by number; Rotor envelopes "
                    + "are bound to the name with the project id (projects/PROJECT_ID/secrets/S)");
        }
        return secretName;
    }
}
