package dev.rotor.api.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The authentication mode and audiences in effect, resolved once and logged at startup so an operator can
 * see which trust boundary this instance relies on. {@code K_SERVICE} is set by Cloud Run in every
 * service container (https://cloud.google.com/run/docs/container-contract#env-vars), so it selects
 * {@link AuthMode#CLOUD_RUN} when {@code rotor.auth.mode} is unset.
 */
@Context
public final class AuthSettings {
    private static final Logger LOG = LoggerFactory.getLogger(AuthSettings.class);
    private final AuthMode mode;
    private final List<String> audiences;

    public AuthSettings(AuthProperties properties, @Nullable @Property(name = "k.service") String kService,
                        @Property(name = "rotor.emulator.front-end.enabled", defaultValue = "false") boolean emulatedFrontEnd) {
        boolean onCloudRun = kService != null && !kService.isBlank();
        boolean configured = properties.mode() != null && !properties.mode().isBlank();
        this.mode = configured ? AuthMode.parse(properties.mode()) : onCloudRun ? AuthMode.CLOUD_RUN : AuthMode.VERIFY;
        Set<String> all = new LinkedHashSet<>(properties.audiences());
        if (properties.audience() != null && !properties.audience().isBlank()) {
            LOG.warn("rotor.auth.audience is deprecated and will be removed in the next release: "
                    + "set rotor.auth.audiences (ROTOR_AUTH_AUDIENCES) instead");
            all.add(properties.audience().trim());
        }
        this.audiences = List.copyOf(all);
        LOG.info("authentication mode {} ({}); accepted audiences {}", mode.label(),
                configured ? "rotor.auth.mode" : onCloudRun ? "default: K_SERVICE is set" : "default: not on Cloud Run",
                audiences);
        if (mode == AuthMode.CLOUD_RUN && !onCloudRun && !emulatedFrontEnd) {
            LOG.warn("authentication mode cloud-run outside Cloud Run: tokens whose signature was removed are "
                    + "accepted, which is safe only behind a front end that verified them");
        }
    }

    public AuthMode mode() {
        return mode;
    }

    /** Never null; empty when nothing is configured (then no token is accepted and readiness fails). */
    public List<String> audiences() {
        return audiences;
    }
}
