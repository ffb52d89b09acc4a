package dev.rotor.gcp;

import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

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

    public GcpSettings(List<GcpServiceProperties> configured) {
        for (GcpServiceProperties p : configured) {
            GcpService service = GcpService.byConfigName(p.name()).orElseThrow(() -> new ConfigurationException(
                    "rotor.gcp." + p.name() + " is not a known service; use one of "
                            + Arrays.stream(GcpService.values()).map(GcpService::configName)
                                    .collect(Collectors.joining(", "))));
            byService.put(service, p);
        }
    }

    public GcpServiceProperties of(GcpService service) {
        return byService.getOrDefault(service,
                new GcpServiceProperties(service.configName(), null, null, null, null, null));
    }

    public String endpoint(GcpService service) {
        String configured = of(service).endpoint();
        return configured == null || configured.isBlank() ? service.defaultEndpoint() : configured;
    }
}
