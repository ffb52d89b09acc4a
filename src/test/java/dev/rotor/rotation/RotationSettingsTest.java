package dev.rotor.rotation;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's {@code rotor.*} settings ({@link RotationProperties}, {@link RollProperties},
 * {@link ListingProperties}) bind with their documented defaults, and refuse a value out of range, naming the
 * setting, at its bounds exactly.
 */
class RotationSettingsTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static ApplicationContext context(Map<String, Object> settings) {
        Map<String, Object> all = new java.util.HashMap<>(settings);
        all.put("rotor.credentials", "application-default");
        return ApplicationContext.run(all, "test");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        try (ApplicationContext ctx = context(Map.of())) {
            RotationProperties rotation = ctx.getBean(RotationProperties.class);
            assertEquals(List.of(), rotation.projects(), "no project, not one with an empty id");
            assertEquals(Duration.ofMinutes(10), rotation.lease());
            assertEquals(8, rotation.concurrency());
            RollProperties roll = ctx.getBean(RollProperties.class);
            assertEquals(RollProperties.DEFAULT_CONCURRENCY, roll.concurrency());
            assertEquals(Duration.ofMinutes(15), roll.timeout());
            assertEquals(Duration.ofSeconds(1), roll.checkEvery());
            assertSame(StepHook.NONE, ctx.getBean(StepHook.class), "production runs no step hook");
        }
        assertEquals(Duration.ofSeconds(5), Duration.parse("PT" + ListingProperties.DEFAULT_LISTING_CACHE_TTL),
                "the test environment sets 0s; the default itself");
    }

    @Test
    void configuredValuesBind() {
        try (ApplicationContext ctx = context(Map.of("rotor.projects", "a-project,b-project", "rotor.lease", "3m",
                "rotor.concurrency", "2", "rotor.roll.concurrency", "64", "rotor.roll.timeout", "90s",
                "rotor.roll.check-every", "250ms", "rotor.listing-cache-ttl", "0s"))) {
            RotationProperties rotation = ctx.getBean(RotationProperties.class);
            assertEquals(List.of("a-project", "b-project"), rotation.projects());
            assertEquals(Duration.ofMinutes(3), rotation.lease());
            assertEquals(2, rotation.concurrency());
            RollProperties roll = ctx.getBean(RollProperties.class);
            assertEquals(64, roll.concurrency());
            assertEquals(Duration.ofSeconds(90), roll.timeout());
            assertEquals(Duration.ofMillis(250), roll.checkEvery());
            assertEquals(Duration.ZERO, ctx.getBean(ListingProperties.class).listingCacheTtl());
        }
    }

    /** A concurrency below one was quietly run as one: a setting that means nothing is refused, as a lease is. */
    @Test
    void aConcurrencyBelowOneStopsStartupNamingTheSetting() {
        for (String concurrency : List.of("0", "-3")) {
            try (ApplicationContext ctx = context(Map.of("rotor.concurrency", concurrency))) {
                RuntimeException e = assertThrows(RuntimeException.class, () -> ctx.getBean(RotationProperties.class));
                assertTrue(rootMessage(e).contains("rotor.concurrency must be at least 1"),
                        concurrency + ": " + rootMessage(e));
            }
        }
        assertEquals(1, new RotationProperties(List.of(), Duration.ofMinutes(1), 1).concurrency());
    }

    /** A lease of zero or less expires as it is taken: a second run would rotate the same secret beside the first. */
    @Test
    void aLeaseThatIsNotPositiveStopsStartupNamingTheSetting() {
        for (String lease : List.of("0s", "-1m")) {
            try (ApplicationContext ctx = context(Map.of("rotor.lease", lease))) {
                RuntimeException e = assertThrows(RuntimeException.class, () -> ctx.getBean(RotationProperties.class));
                assertTrue(rootMessage(e).contains("rotor.lease must be positive"), lease + ": " + rootMessage(e));
            }
        }
        assertEquals(Duration.ofMillis(1), new RotationProperties(List.of(), Duration.ofMillis(1), 8).lease());
    }

    @Test
    void rollConcurrencyIsRefusedOutsideOneToSixtyFour() {
        refused("rotor.roll.concurrency", () -> new RollProperties(0, MINUTE, MINUTE));
        refused("rotor.roll.concurrency", () -> new RollProperties(65, MINUTE, MINUTE));
        assertEquals(1, new RollProperties(1, MINUTE, MINUTE).concurrency());
        assertEquals(64, new RollProperties(64, MINUTE, MINUTE).concurrency());
    }

    @Test
    void aRollTimeoutOrCheckIntervalThatIsNotPositiveIsRefused() {
        for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            refused("rotor.roll.timeout", () -> new RollProperties(4, bad, MINUTE));
            refused("rotor.roll.check-every", () -> new RollProperties(4, MINUTE, bad));
        }
        RollProperties shortest = new RollProperties(4, Duration.ofMillis(1), Duration.ofMillis(1));
        assertEquals(Duration.ofMillis(1), shortest.timeout());
    }

    @Test
    void theListingCacheIsRefusedOutsideZeroToTenMinutes() {
        refused("rotor.listing-cache-ttl", () -> new ListingProperties(Duration.ofMillis(-1)));
        refused("rotor.listing-cache-ttl", () -> new ListingProperties(Duration.ofMinutes(10).plusMillis(1)));
        assertEquals(Duration.ZERO, new ListingProperties(Duration.ZERO).listingCacheTtl());
        assertEquals(Duration.ofMinutes(10), new ListingProperties(Duration.ofMinutes(10)).listingCacheTtl());
    }

    @Test
    void anOutOfRangeRollSettingStopsStartupNamingIt() {
        try (ApplicationContext ctx = context(Map.of("rotor.roll.concurrency", "0"))) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> ctx.getBean(RollProperties.class));
            assertTrue(rootMessage(e).contains("rotor.roll.concurrency"), rootMessage(e));
        }
    }

    private static void refused(String setting, Supplier<Object> build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get, setting);
        assertTrue(e.getMessage().contains(setting), setting + ": " + e.getMessage());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
