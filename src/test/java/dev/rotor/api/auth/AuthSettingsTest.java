package dev.rotor.api.auth;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthSettingsTest {
    private static AuthProperties props(String mode, List<String> audiences, String audience) {
        return new AuthProperties(mode, audiences, audience, AuthProperties.GOOGLE_JWKS, List.of(), List.of(),
                Duration.ofSeconds(30), Duration.ofSeconds(5), 4096);
    }

    private static List<String> logged(Runnable r) {
        Logger logger = (Logger) LoggerFactory.getLogger(AuthSettings.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        try {
            r.run();
        } finally {
            logger.setLevel(level);
            logger.detachAppender(appender);
        }
        return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Test
    void theModeDefaultsToCloudRunOnlyWhereCloudRunSetsKService() {
        assertEquals(AuthMode.CLOUD_RUN, new AuthSettings(props(null, List.of("https://a"), null), "rotor", false).mode());
        assertEquals(AuthMode.VERIFY, new AuthSettings(props(null, List.of("https://a"), null), null, false).mode());
        assertEquals(AuthMode.VERIFY, new AuthSettings(props("verify", List.of("https://a"), null), "rotor", false).mode());
        assertEquals(AuthMode.CLOUD_RUN, new AuthSettings(props("Cloud-Run", List.of("https://a"), null), null, true).mode());
    }

    @Test
    void theModeIsLoggedAtStartup() {
        List<String> lines = logged(() -> new AuthSettings(props(null, List.of("https://a"), null), "rotor", false));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO authentication mode cloud-run (default: K_SERVICE is set)")
                && l.contains("https://a")), lines.toString());
    }

    @Test
    void theDeprecatedSingleAudienceIsStillAcceptedWithAWarning() {
        List<String> lines = logged(() -> {
            AuthSettings s = new AuthSettings(props(null, List.of("https://a", " "), "https://old"), null, false);
            assertEquals(List.of("https://a", "https://old"), s.audiences());
        });
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("WARN rotor.auth.audience is deprecated")), lines.toString());
    }

    private static AuthProperties withSkew(Duration skew) {
        return new AuthProperties(null, List.of("https://a"), null, AuthProperties.GOOGLE_JWKS, List.of(), List.of(),
                skew, Duration.ofSeconds(5), 4096);
    }

    @Test
    void theClockSkewIsBetweenZeroAndSixtySeconds() {
        assertEquals(Duration.ZERO, withSkew(Duration.ZERO).clockSkew());
        assertEquals(Duration.ofSeconds(60), withSkew(Duration.ofSeconds(60)).clockSkew());
        assertEquals("rotor.auth.clock-skew must be between 0 and 60 s, not PT1M0.001S", assertThrows(
                IllegalArgumentException.class, () -> withSkew(Duration.ofSeconds(60).plusMillis(1))).getMessage());
        assertEquals("rotor.auth.clock-skew must be between 0 and 60 s, not PT-1S", assertThrows(
                IllegalArgumentException.class, () -> withSkew(Duration.ofSeconds(-1))).getMessage());
    }

    @Test
    void anUnknownModeIsRefusedAtStartup() {
        var e = assertThrows(IllegalArgumentException.class, () -> props("trust-me", List.of(), null));
        assertEquals("rotor.auth.mode must be cloud-run or verify, not 'trust-me'", e.getMessage());
    }

    @Test
    void cloudRunModeOffCloudRunWithoutAFrontEndWarns() {
        List<String> lines = logged(() -> new AuthSettings(props("cloud-run", List.of("https://a"), null), null, false));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("WARN authentication mode cloud-run outside Cloud Run")), lines.toString());
    }

    @Test
    void theCommaSeparatedEnvironmentVariablesTerraformSetsBindAsLists() {
        // terraform/modules/rotor-service sets ROTOR_AUTH_AUDIENCES and ROTOR_AUTH_OPERATOR_PRINCIPALS as join(",", ...)
        Map<String, Object> env = Map.of("ROTOR_AUTH_AUDIENCES", "https://rotor-1.europe-west1.run.app,https://rotor.example.com",
                "ROTOR_AUTH_OPERATOR_PRINCIPALS", "rotor-operator@p.iam.gserviceaccount.com,oncall@example.com");
        try (ApplicationContext ctx = ApplicationContext.builder().enableDefaultPropertySources(false)
                .propertySources(PropertySource.of("env", env, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .start()) {
            AuthProperties p = ctx.getBean(AuthProperties.class);
            assertEquals(List.of("https://rotor-1.europe-west1.run.app", "https://rotor.example.com"), p.audiences());
            assertEquals(List.of("rotor-operator@p.iam.gserviceaccount.com", "oncall@example.com"), p.operatorPrincipals());
        }
    }
}
