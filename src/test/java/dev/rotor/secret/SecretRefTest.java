package dev.rotor.secret;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One secret, one reference, whichever form of its project Google or a consumer used. */
class SecretRefTest {
    private static final SecretRef DB = new SecretRef("demo-project", "db");
    private static final Optional<String> NUMBER = Optional.of("123456789012");

    @Test
    void aNameWithTheProjectNumberIsTheSameReferenceAsWithTheId() {
        assertEquals(DB, SecretRef.fromName("projects/123456789012/secrets/db", "demo-project"));
        assertEquals(DB, SecretRef.fromName("projects/demo-project/secrets/db", "demo-project"));
        assertEquals(DB, SecretRef.fromName("projects/123456789012/secrets/db/versions/3", "demo-project"));
        assertEquals(DB.hashCode(), SecretRef.fromName("projects/123456789012/secrets/db", "demo-project").hashCode());
        assertEquals("projects/demo-project/secrets/db", SecretRef.fromName("projects/1/secrets/db", "demo-project").name());
    }

    @Test
    void aNameOfAnotherProjectOrNoSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SecretRef.fromName("projects/other/secrets/db", "demo-project"));
        assertThrows(IllegalArgumentException.class, () -> SecretRef.fromName("projects/demo-project/keys/db", "demo-project"));
        assertThrows(IllegalArgumentException.class, () -> SecretRef.fromName("db", "demo-project"));
    }

    @Test
    void theProjectNumberIsReadOnlyFromANumberedName() {
        assertEquals(NUMBER, SecretRef.projectNumberIn("projects/123456789012/secrets/db/versions/2"));
        assertEquals(Optional.empty(), SecretRef.projectNumberIn("projects/demo-project/secrets/db"));
    }

    @Test
    void aConsumerNamesTheSecretByIdNumberOrBareNameInItsOwnProjectOnly() {
        assertTrue(DB.isNamedBy("projects/demo-project/secrets/db", "elsewhere", Optional.empty()));
        assertTrue(DB.isNamedBy("projects/123456789012/secrets/db", "elsewhere", NUMBER));
        assertTrue(DB.isNamedBy("db", "demo-project", Optional.empty()));
        assertTrue(DB.isNamedBy("db", "123456789012", NUMBER));
        assertFalse(DB.isNamedBy("db", "elsewhere", NUMBER), "a bare name means the consumer's own project");
        assertFalse(DB.isNamedBy("projects/123456789012/secrets/db", "demo-project", Optional.empty()),
                "a number is only ours when we know it is");
        assertFalse(DB.isNamedBy("projects/999/secrets/db", "demo-project", NUMBER));
        assertFalse(DB.isNamedBy("projects/demo-project/secrets/db2", "demo-project", NUMBER));
        assertFalse(DB.isNamedBy("dbx", "demo-project", NUMBER));
    }

    @Test
    void envelopesAreBoundToTheProjectIdFormOnly() {
        assertEquals("projects/demo-project/secrets/db", EnvelopeReader.additionalData(DB.name()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnvelopeReader.additionalData("projects/123456789012/secrets/db"));
        assertTrue(e.getMessage().contains("project id"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EnvelopeReader.additionalData("projects/p/secrets/db/versions/1"));
    }
}
