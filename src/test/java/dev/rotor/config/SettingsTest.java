package dev.rotor.config;

import dev.rotor.logging.LoggingProperties;
import dev.rotor.rotation.ListingProperties;
import dev.rotor.secret.RetryProperties;
import dev.rotor.secret.SecretManagerQuotaProperties;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each settings record binds its documented defaults and refuses an out-of-range value by name. */
class SettingsTest {
    @Test
    void defaultsAreTheNamedConstants() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of("rotor.listing-cache-ttl", "5s",
                "rotor.credentials", "application-default"), "test")) {
            RetryProperties retry = ctx.getBean(RetryProperties.class);
            assertEquals(4, retry.attempts());
            assertEquals(Duration.ofMillis(200), retry.baseDelay());
            SecretManagerQuotaProperties quota = ctx.getBean(SecretManagerQuotaProperties.class);
            assertEquals(600, quota.writesPerMinute());
            assertEquals(600, quota.readsPerMinute());
            assertEquals(Duration.ofSeconds(5), ctx.getBean(ListingProperties.class).listingCacheTtl());
            assertNull(ctx.getBean(LoggingProperties.class).projectId());
        }
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheSetting() {
        Map<String, String> bad = Map.of(
                "rotor.retry.attempts", "0",
                "rotor.retry.base-delay", "-1s",
                "rotor.quota.secret-manager.writes-per-minute", "-5",
                "rotor.listing-cache-ttl", "1h",
                "rotor.logging.project-id", "Not A Project");
        Map<String, Class<?>> record = Map.of(
                "rotor.retry.attempts", RetryProperties.class,
                "rotor.retry.base-delay", RetryProperties.class,
                "rotor.quota.secret-manager.writes-per-minute", SecretManagerQuotaProperties.class,
                "rotor.listing-cache-ttl", ListingProperties.class,
                "rotor.logging.project-id", LoggingProperties.class);
        bad.forEach((key, value) -> {
            try (ApplicationContext ctx = ApplicationContext.run(Map.of(key, value,
                    "rotor.credentials", "application-default"), "test")) {
                RuntimeException e = assertThrows(RuntimeException.class, () -> ctx.getBean(record.get(key)), key);
                assertTrue(rootMessage(e).contains(key), key + ": " + rootMessage(e));
            }
        });
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
