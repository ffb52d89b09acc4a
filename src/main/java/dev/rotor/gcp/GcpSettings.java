package dev.rotor.gcp;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.value.PropertyResolver;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Arrays;

/**
 * Resolves the effective settings of every Google service: the configured overrides, or the defaults.
 * An unknown name under {@code rotor.gcp} fails startup with the list of valid names, so a typo in an
 * endpoint override can never silently send traffic to Google instead of an emulator.
 */
@Singleton
public final class GcpSettings {
    private final Map<GcpService, GcpServiceProperties> byService = new EnumMap<>(GcpService.class);

    public GcpSettings(List<GcpServiceProperties> configured, PropertyResolver properties) {
        for (GcpServiceProperties p : configured) {
            if (GcpService.byConfigName(p.name()).isEmpty() && isEnvironmentSplit(p.name())) {
                continue;
            }
            GcpService.byConfigName(p.name()).orElseThrow(() -> new ConfigurationException(
                    "rotor.gcp." + p.name() + " is not a known service; use one of "
                            + Arrays.stream(GcpService.values()).map(GcpService::configName)
                                    .collect(Collectors.joining(", "))));
        }
        for (GcpService service : GcpService.values()) {
            byService.put(service, read(properties, service.configName()));
        }
    }

    /**
     * Read by key rather than taken from the {@code @EachProperty} entries: for an environment variable
     * Micronaut names the entry after the first word only ({@code secret}, not {@code secret-manager}), while a
     * lookup of the full key finds the variable.
     */
    private static GcpServiceProperties read(PropertyResolver properties, String name) {
        String prefix = "rotor.gcp." + name + ".";
        return new GcpServiceProperties(name,
                properties.get(prefix + "endpoint", String.class).orElse(null),
                properties.get(prefix + "plaintext", Boolean.class).orElse(null),
                properties.get(prefix + "timeout", Duration.class).orElse(null),
                properties.get(prefix + "max-attempts", Integer.class).orElse(null),
                properties.get(prefix + "initial-backoff", Duration.class).orElse(null));
    }

    /**
     * Micronaut reads an environment variable under every key its underscores could spell:
     * {@code ROTOR_GCP_SECRET_MANAGER_TIMEOUT} also yields {@code rotor.gcp.secret.manager-timeout}, an entry
     * named {@code secret} beside the intended {@code secret-manager}. Such a name is the head of a hyphenated
     * service name, not a typo (a real typo still fails, and {@code config/UnknownSettings} names it).
     */
    private static boolean isEnvironmentSplit(String name) {
        return Arrays.stream(GcpService.values()).anyMatch(s -> s.configName().startsWith(name + "-"));
    }

    public GcpServiceProperties of(GcpService service) {
        return byService.get(service);
    }

    public String endpoint(GcpService service) {
        String configured = of(service).endpoint();
        return configured == null || configured.isBlank() ? service.defaultEndpoint() : configured;
    }
}
