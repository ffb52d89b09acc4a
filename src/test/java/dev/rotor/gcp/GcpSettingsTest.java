package dev.rotor.gcp;

import com.google.api.gax.retrying.RetrySettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.exceptions.BeanInstantiationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GcpSettingsTest {
    /** Production's credentials setting: the test default, none, is refused with Google's endpoints. */
    private static final Map<String, Object> PRODUCTION_CREDENTIALS = Map.of("rotor.credentials", "application-default");

    @Test
    void defaultsToGoogleEndpointsOverTls() {
        try (ApplicationContext ctx = ApplicationContext.run(PRODUCTION_CREDENTIALS, "test")) {
            GcpSettings settings = ctx.getBean(GcpSettings.class);
            assertEquals("secretmanager.googleapis.com:443", settings.endpoint(GcpService.SECRET_MANAGER));
            assertFalse(settings.of(GcpService.SECRET_MANAGER).isPlaintext());
        }
    }

    @Test
    void readsPerServiceOverrides() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "rotor.gcp.secret-manager.endpoint", "localhost:9090",
                "rotor.gcp.secret-manager.plaintext", "true",
                "rotor.gcp.secret-manager.timeout", "5s", "rotor.credentials", "application-default"), "test")) {
            GcpSettings settings = ctx.getBean(GcpSettings.class);
            assertEquals("localhost:9090", settings.endpoint(GcpService.SECRET_MANAGER));
            assertTrue(settings.of(GcpService.SECRET_MANAGER).isPlaintext());
            assertEquals(Duration.ofSeconds(5), settings.of(GcpService.SECRET_MANAGER).timeout());
            assertEquals("cloudkms.googleapis.com:443", settings.endpoint(GcpService.KMS));
        }
    }

    @Test
    void readsHyphenatedServicesFromEnvironmentVariables() {
        try (ApplicationContext ctx = ApplicationContext.builder("test").properties(PRODUCTION_CREDENTIALS)
                .propertySources(PropertySource.of("env", Map.of("ROTOR_GCP_SECRET_MANAGER_TIMEOUT", "7s",
                        "ROTOR_GCP_IAM_CREDENTIALS_MAX_ATTEMPTS", "2"), PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .start()) {
            GcpSettings settings = ctx.getBean(GcpSettings.class);
            assertEquals(Duration.ofSeconds(7), settings.of(GcpService.SECRET_MANAGER).timeout());
            assertEquals(2, settings.of(GcpService.IAM_CREDENTIALS).maxAttempts());
        }
    }

    @Test
    void rejectsAnUnknownServiceName() {
        BeanInstantiationException e = assertThrows(BeanInstantiationException.class,
                () -> ApplicationContext.run(Map.of("rotor.gcp.secretmanager.endpoint", "x:1"), "test"));
        assertTrue(e.getMessage().contains("rotor.gcp.secretmanager is not a known service"), e.getMessage());
    }

    @Test
    void tuningKeepsRetryableDefaultsAndAppliesOverrides() {
        RetrySettings defaults = RetrySettings.newBuilder().setMaxAttempts(5)
                .setInitialRetryDelayDuration(Duration.ofSeconds(2)).setMaxRetryDelayDuration(Duration.ofSeconds(60))
                .setTotalTimeoutDuration(Duration.ofSeconds(60)).build();
        RetrySettings tuned = CallTuning.tune(defaults, new GcpServiceProperties("kms", null, null,
                Duration.ofSeconds(3), 2, Duration.ofMillis(10)));
        assertEquals(2, tuned.getMaxAttempts());
        assertEquals(Duration.ofSeconds(3), tuned.getTotalTimeoutDuration());
        assertEquals(Duration.ofMillis(10), tuned.getInitialRetryDelayDuration());
        assertEquals(Duration.ofSeconds(60), tuned.getMaxRetryDelayDuration());
    }
}
