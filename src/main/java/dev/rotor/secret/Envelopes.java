package dev.rotor.secret;

import dev.rotor.policy.Policy;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Envelope encryption (DESIGN §6): with {@code rotor.encryption=envelope:KEY} the version holds a small
 * versioned JSON document, {@code {"rotorEnvelope":1,"key":"…/cryptoKeyVersions/N","ciphertext":"base64"}},
 * whose ciphertext KMS made with the secret's resource name in its project-id form
 * ({@code projects/PROJECT_ID/secrets/S}, {@link EnvelopeReader#additionalData}) as additional authenticated data, so a copy
 * pasted into another secret does not decrypt. Without it, payloads pass through unchanged.
 * {@link EnvelopeReader} is the consumer side.
 */
@Singleton
public final class Envelopes {
    static final int FORMAT = 1;
    private final KeyEncrypter kms;

    public Envelopes(KeyEncrypter kms) {
        this.kms = kms;
    }

    /** What to store for {@code plaintext}; an envelope is decrypted once before it is returned. */
    public byte[] seal(SecretRef ref, Policy policy, byte[] plaintext) {
        String key = envelopeKey(policy);
        if (key == null) {
            return plaintext;
        }
        KeyEncrypter.Sealed sealed = kms.encrypt(key, plaintext,
                EnvelopeReader.additionalData(ref.name()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("rotorEnvelope", FORMAT);
        doc.put("key", sealed.keyVersion());
        doc.put("ciphertext", Base64.getEncoder().encodeToString(sealed.ciphertext()));
        byte[] envelope;
        try {
            envelope = ObjectMapper.getDefault().writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an envelope", e);
        }
        if (!MessageDigest.isEqual(open(ref, policy, envelope), plaintext)) {
            throw new IllegalStateException("the envelope for " + ref + " does not decrypt to what was sealed; "
                    + "nothing was published");
        }
        return envelope;
    }

    /** The plaintext in a stored payload. */
    public byte[] open(SecretRef ref, Policy policy, byte[] stored) {
        if (envelopeKey(policy) == null) {
            return stored;
        }
        return EnvelopeReader.open(stored, ref.name(), kms::decrypt);
    }

    private static String envelopeKey(Policy policy) {
        return policy.encryption().filter(e -> e.startsWith("envelope:")).map(e -> e.substring(9)).orElse(null);
    }
}
