package dev.rotor.credential;

import dev.rotor.policy.Declaration;
import dev.rotor.policy.Policy;
import dev.rotor.policy.PolicyParser;
import dev.rotor.secret.SecretRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code generated}: each format's alphabet and exact length, odd lengths included, and the length check. */
class GeneratedTest {
    private final Generated generated = new Generated();

    static Policy policy(Map<String, String> annotations) {
        return ((Declaration.Valid) PolicyParser.parse(annotations)).policy();
    }

    @ParameterizedTest
    @CsvSource({"hex, 31, [0-9a-f]+", "hex, 32, [0-9a-f]+", "alnum, 33, [A-Za-z0-9]+",
            "base64url, 31, [A-Za-z0-9_-]+", "base64url, 32, [A-Za-z0-9_-]+", "base64url, 33, [A-Za-z0-9_-]+"})
    void everyFormatDrawsItsAlphabetToTheExactLength(String format, int length, String alphabet) {
        Policy p = policy(Map.of("rotor.kind", "generated", "rotor.format", format, "rotor.length", "" + length));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Minted m = generated.mint(new SecretRef("p", "s"), p, null);
            String value = new String(m.payload(), StandardCharsets.US_ASCII);
            assertEquals(length, value.length(), value);
            assertTrue(value.matches(alphabet), value);
            generated.verify(m, p);
            seen.add(value);
        }
        assertEquals(20, seen.size(), "values are random");
    }

    @Test
    void alphanumericsUseAllSixtyTwoCharacters() {
        Set<Integer> chars = new HashSet<>();
        generated.render("alnum", 20_000).chars().forEach(chars::add);
        assertEquals(62, chars.size());
    }

    @Test
    void aValueOfAnotherLengthIsRefused() {
        Policy p = policy(Map.of("rotor.kind", "generated", "rotor.length", "32"));
        Minted shorter = new Minted("x".repeat(31).getBytes(StandardCharsets.US_ASCII), java.util.Optional.empty(),
                java.util.Optional.empty());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> generated.verify(shorter, p));
        assertTrue(e.getMessage().contains("31 characters, the policy asks for 32"), e.getMessage());
    }

    @Test
    void anInterruptedAttemptsValueIsAdoptedAsItWasStored() {
        Policy p = policy(Map.of("rotor.kind", "generated", "rotor.length", "32"));
        byte[] stored = "y".repeat(32).getBytes(StandardCharsets.US_ASCII);
        Minted adopted = generated.adopt(stored, p, java.time.Instant.EPOCH);
        assertArrayEquals(stored, adopted.payload());
        assertEquals(java.util.Optional.empty(), adopted.keyId());
        assertEquals(java.util.Optional.empty(), adopted.expiresAt(), "a generated value does not expire");
    }
}
