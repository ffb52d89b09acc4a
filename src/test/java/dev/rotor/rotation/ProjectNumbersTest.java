package dev.rotor.rotation;

import com.google.cloud.kms.v1.KeyManagementServiceClient;
import dev.rotor.Decrypt;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulator, like Google, answers with {@code projects/<number>/...}; Rotor keeps the project id in every
 * reference, report and listing, and binds envelopes to the id form.
 */
class ProjectNumbersTest {
    private static final String KEY = EncryptionTest.KEY;
    private final Engine engine = new Engine();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void googleAnswersWithTheNumberButRotorReportsAndListsTheProjectId() {
        String number = engine.env.emulator.projects().number(Engine.PROJECT);
        assertEquals("projects/" + number + "/secrets/db",
                engine.declare("db", Map.of("rotor.kind", "generated")).getName());
        RunReport report = engine.run();
        assertEquals(1, report.summary().rotated());
        assertEquals(Engine.PROJECT, report.secrets().getFirst().project());
        SecretStore store = engine.env.bean(SecretStore.class);
        SecretRef ref = new SecretRef(Engine.PROJECT, "db");
        assertEquals(ref, store.listManaged(Engine.PROJECT).getFirst().ref());
        assertEquals(ref, store.get(ref).ref());
        assertEquals(Engine.PROJECT, engine.env.bean(SecretsView.class).list().getFirst().project());
        java.util.Optional<String> learnt = engine.env.bean(dev.rotor.secret.ProjectNumbers.class).of(Engine.PROJECT);
        assertEquals(java.util.Optional.of(number), learnt);
        assertTrue(ref.isNamedBy("projects/" + number + "/secrets/db", "elsewhere", learnt),
                "a consumer naming the secret by project number is recognised");
    }

    @Test
    void anEnvelopeIsBoundToTheProjectIdFormWhateverNameGoogleReturned() {
        engine.env.emulator.kms().createKeyRing("projects/demo-project/locations/global", "rotor");
        engine.env.emulator.kms().createCryptoKey("projects/demo-project/locations/global/keyRings/rotor", "secrets");
        KeyManagementServiceClient kms = engine.env.bean(KeyManagementServiceClient.class);
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.encryption", "envelope:" + KEY));
        assertEquals(1, engine.run().summary().rotated());
        String number = engine.env.emulator.projects().number(Engine.PROJECT);
        byte[] plaintext = Decrypt.open(engine.client, kms, "projects/" + number + "/secrets/db/versions/1",
                Engine.name("db"));
        assertEquals(32, plaintext.length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Decrypt.open(engine.client,
                kms, Engine.name("db") + "/versions/1", "projects/" + number + "/secrets/db"));
        assertTrue(e.getMessage().contains("project id"), e.getMessage());
    }
}
