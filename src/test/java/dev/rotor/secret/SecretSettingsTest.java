package dev.rotor.secret;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bounds of the retry and pacing settings: both ends accepted, one step beyond refused with the setting named. */
class SecretSettingsTest {
    @Test
    void retryAttemptsFromOneToTwentyAndABaseDelayUpToAMinute() {
        assertDoesNotThrow(() -> new RetryProperties(1, Duration.ZERO));
        assertDoesNotThrow(() -> new RetryProperties(20, Duration.ofMinutes(1)));
        assertEquals("rotor.retry.attempts must be between 1 and 20, not 0",
                assertThrows(IllegalArgumentException.class, () -> new RetryProperties(0, Duration.ZERO)).getMessage());
        assertEquals("rotor.retry.attempts must be between 1 and 20, not 21",
                assertThrows(IllegalArgumentException.class, () -> new RetryProperties(21, Duration.ZERO)).getMessage());
        assertEquals("rotor.retry.base-delay must be between 0 and 1 min, not PT1M0.001S",
                assertThrows(IllegalArgumentException.class,
                        () -> new RetryProperties(4, Duration.ofMinutes(1).plusMillis(1))).getMessage());
        assertEquals("rotor.retry.base-delay must be between 0 and 1 min, not PT-0.001S",
                assertThrows(IllegalArgumentException.class, () -> new RetryProperties(4, Duration.ofMillis(-1))).getMessage());
    }

    @Test
    void projectQuotasMayBeZeroButNotNegative() {
        assertDoesNotThrow(() -> new SecretManagerQuotaProperties(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SecretManagerQuotaProperties(-1, 600));
        assertEquals("rotor.quota.secret-manager.writes-per-minute and .reads-per-minute must be 0 (no pacing) or "
                + "more, not 600 and -1", assertThrows(IllegalArgumentException.class,
                () -> new SecretManagerQuotaProperties(600, -1)).getMessage());
    }

    @Test
    void perResourcePacingMayBeZeroButNotNegative() {
        assertDoesNotThrow(() -> new WritePacing(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new WritePacing(-1, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> new WritePacing(2, -1, 4));
        assertEquals("rotor.quota.secret-manager.per-resource.*: no negative values (2, 1, -1)",
                assertThrows(IllegalArgumentException.class, () -> new WritePacing(2, 1, -1)).getMessage());
    }
}
