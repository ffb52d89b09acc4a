package dev.rotor.secret;

import dev.rotor.error.RemoteException;
import dev.rotor.local.EmulatedContext;
import dev.rotor.local.faults.Faults;
import dev.rotor.policy.Declaration;
import dev.rotor.policy.Policy;
import dev.rotor.policy.PolicyParser;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Envelopes sealed through the real KMS client against the emulator (gcp-api-facts §2): what is stored, what
 * opens it, and what is refused. One emulated context for the class; each test uses its own secret name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnvelopesTest {
    private static final String KEY = "projects/demo-project/locations/global/keyRings/rotor/cryptoKeys/secrets";
    private static final byte[] PLAINTEXT = "s3cr3t-payload".getBytes(StandardCharsets.UTF_8);
    private static final SecretRef DB = new SecretRef("demo-project", "db");
    private EmulatedContext env;
    private Envelopes envelopes;
    private KeyEncrypter kms;

    @BeforeAll
    void start() {
        env = new EmulatedContext();
        env.emulator.kms().createKeyRing("projects/demo-project/locations/global", "rotor");
        env.emulator.kms().createCryptoKey("projects/demo-project/locations/global/keyRings/rotor", "secrets");
        envelopes = env.bean(Envelopes.class);
        kms = env.bean(KeyEncrypter.class);
    }

    @AfterAll
    void stop() {
        env.close();
    }

    private static Policy policy(String encryption) {
        Map<String, String> a = encryption == null ? Map.of("rotor.kind", "generated")
                : Map.of("rotor.kind", "generated", "rotor.encryption", encryption);
        return ((Declaration.Valid) PolicyParser.parse(a)).policy();
    }

    @Test
    void withoutAnEnvelopeThePayloadIsStoredAsItIs() {
        for (Policy p : new Policy[] {policy(null), policy("cmek")}) {
            assertSame(PLAINTEXT, envelopes.seal(DB, p, PLAINTEXT));
            assertSame(PLAINTEXT, envelopes.open(DB, p, PLAINTEXT));
        }
    }

    @Test
    void anEnvelopeNamesTheKeyVersionHoldsOnlyCiphertextAndOpensToThePlaintext() {
        Policy p = policy("envelope:" + KEY);
        byte[] sealed = envelopes.seal(DB, p, PLAINTEXT);
        String doc = new String(sealed, StandardCharsets.UTF_8);
        assertTrue(doc.startsWith("{\"rotorEnvelope\":1,\"key\":\"" + KEY + "/cryptoKeyVersions/1\",\"ciphertext\":\""),
                doc);
        assertFalse(doc.contains("s3cr3t"), doc);
        assertArrayEquals(PLAINTEXT, envelopes.open(DB, p, sealed));
        assertArrayEquals(PLAINTEXT, EnvelopeReader.open(sealed, DB.name(), kms::decrypt), "the consumer side");
    }

    @Test
    void anEnvelopeIsBoundToItsSecretsName() {
        byte[] sealed = envelopes.seal(DB, policy("envelope:" + KEY), PLAINTEXT);
        assertThrows(RemoteException.class, () -> EnvelopeReader.open(sealed, "projects/demo-project/secrets/copy",
                kms::decrypt));
    }

    @Test
    void anEnvelopeThatDoesNotOpenToWhatWasSealedIsNeverPublished() {
        KeyEncrypter lossy = new KeyEncrypter() {
            @Override
            public Sealed encrypt(String cryptoKey, byte[] plaintext, byte[] aad) {
                return kms.encrypt(cryptoKey, plaintext, aad);
            }

            @Override
            public byte[] decrypt(String cryptoKey, byte[] ciphertext, byte[] aad) {
                byte[] p = kms.decrypt(cryptoKey, ciphertext, aad);
                return Arrays.copyOf(p, p.length - 1);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Envelopes(lossy).seal(DB, policy("envelope:" + KEY), PLAINTEXT));
        assertEquals("the envelope for projects/demo-project/secrets/db does not decrypt to what was sealed; "
                + "nothing was published", e.getMessage());
    }

    @Test
    void aKmsRefusalIsReportedByCallAndKey() {
        env.emulator.faults().fail("Encrypt", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1);
        RemoteException e = assertThrows(RemoteException.PermissionDenied.class,
                () -> envelopes.seal(DB, policy("envelope:" + KEY), PLAINTEXT));
        assertTrue(e.getMessage().startsWith("Encrypt with " + KEY + " failed: PERMISSION_DENIED"), e.getMessage());
        byte[] sealed = envelopes.seal(DB, policy("envelope:" + KEY), PLAINTEXT);
        env.emulator.faults().fail("Decrypt", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1);
        e = assertThrows(RemoteException.PermissionDenied.class, () -> envelopes.open(DB, policy("envelope:" + KEY), sealed));
        assertTrue(e.getMessage().startsWith("Decrypt with " + KEY + " failed: PERMISSION_DENIED"), e.getMessage());
    }

    @Test
    void whatIsNotAnEnvelopeOfThisFormatIsRefusedBeforeKmsIsAsked() {
        EnvelopeReader.Decrypt never = (key, ct, aad) -> {
            throw new AssertionError("KMS must not be called");
        };
        assertEquals("the payload is not a Rotor envelope", assertThrows(IllegalArgumentException.class,
                () -> EnvelopeReader.open(PLAINTEXT, DB.name(), never)).getMessage());
        for (String doc : new String[] {"{\"rotorEnvelope\":2,\"key\":\"k\",\"ciphertext\":\"AA==\"}",
                "{\"rotorEnvelope\":\"1\",\"key\":\"k\",\"ciphertext\":\"AA==\"}",
                "{\"rotorEnvelope\":1,\"ciphertext\":\"AA==\"}", "{\"rotorEnvelope\":1,\"key\":\"k\"}"}) {
            assertEquals("the payload is not a Rotor envelope of format 1", assertThrows(IllegalArgumentException.class,
                    () -> EnvelopeReader.open(doc.getBytes(StandardCharsets.UTF_8), DB.name(), never)).getMessage(), doc);
        }
    }

    @Test
    void decryptIsAskedOfTheCryptoKeyWithTheSecretNameAsAdditionalData() {
        String[] asked = new String[2];
        EnvelopeReader.Decrypt record = (key, ct, aad) -> {
            asked[0] = key;
            asked[1] = new String(aad, StandardCharsets.UTF_8);
            return ct;
        };
        String doc = "{\"rotorEnvelope\":1,\"key\":\"" + KEY + "/cryptoKeyVersions/3\",\"ciphertext\":\"AAE=\"}";
        assertArrayEquals(new byte[] {0, 1}, EnvelopeReader.open(doc.getBytes(StandardCharsets.UTF_8), DB.name(), record));
        assertArrayEquals(new String[] {KEY, DB.name()}, asked, "Decrypt takes the CryptoKey, not a version (§2.2)");
        String bare = "{\"rotorEnvelope\":1,\"key\":\"" + KEY + "\",\"ciphertext\":\"AAE=\"}";
        EnvelopeReader.open(bare.getBytes(StandardCharsets.UTF_8), DB.name(), record);
        assertEquals(KEY, asked[0]);
    }

    @Test
    void theAdditionalDataIsTheSecretNameWithTheProjectId() {
        assertEquals("projects/demo-project/secrets/db", EnvelopeReader.additionalData("projects/demo-project/secrets/db"));
        assertEquals("'projects/123456/secrets/db' names the project by number; Rotor envelopes are bound to the name "
                + "with the project id (projects/PROJECT_ID/secrets/S)", assertThrows(IllegalArgumentException.class,
                () -> EnvelopeReader.additionalData("projects/123456/secrets/db")).getMessage());
        assertEquals("'projects/p/secrets/db/versions/1' is not a secret name projects/PROJECT_ID/secrets/S",
                assertThrows(IllegalArgumentException.class,
                        () -> EnvelopeReader.additionalData("projects/p/secrets/db/versions/1")).getMessage());
    }
}
