package dev.rotor.credential;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a credential shows when it is printed (a stray log line or exception message): its id and expiry, never
 * the secret; and the real sleeper, which gives up when interrupted and keeps the interrupt.
 */
class CredentialTextTest {
    private static final Instant EXPIRY = Instant.parse("2026-03-01T11:00:00Z");
    private static final byte[] SECRET = "s3cr3t-key-file".getBytes(StandardCharsets.UTF_8);

    @Test
    void aMintedCredentialShowsItsSizeKeyAndExpiryButNotItsPayload() {
        assertEquals("Minted[15 bytes, keyId=k1, expiresAt=2026-03-01T11:00:00Z]",
                new Minted(SECRET, Optional.of("k1"), Optional.of(EXPIRY)).toString());
        assertEquals("Minted[15 bytes, keyId=-, expiresAt=-]",
                new Minted(SECRET, Optional.empty(), Optional.empty()).toString());
    }

    @Test
    void aNewKeyAndATokenShowNoSecret() {
        assertEquals("CreatedKey[k1]", new ServiceAccountKeys.CreatedKey("k1", SECRET, Optional.empty()).toString());
        assertEquals("Token[expiresAt=2026-03-01T11:00:00Z]", new TokenMinter.Token("ya29.s3cr3t", EXPIRY).toString());
    }

    @Test
    void theRealSleeperGivesUpWhenInterruptedAndKeepsTheInterrupt() {
        assertSame(Sleeper.REAL, new SleeperFactory().sleeper());
        Thread.currentThread().interrupt();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Sleeper.REAL.sleep(Duration.ofMinutes(1)));
            assertEquals("interrupted while waiting to retry", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }
}
