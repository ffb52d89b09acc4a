package dev.rotor.api.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * How callers are authenticated (docs/design.md §4). Every {@code /v1} call carries a Google-signed OIDC ID
 * token; {@link AuthSettings} resolves the mode and the audiences from these values.
 *
 * @param mode                 {@code cloud-run} or {@code verify}; unset: {@code cloud-run} when
 *                             {@code K_SERVICE} is set (Rotor runs on Cloud Run), else {@code verify}
 * @param audiences            the {@code aud} values a token may carry: the service's {@code run.app} URL(s)
 *                             and the custom audiences set on the Cloud Run service
 * @param audience             deprecated single audience, still accepted (with a warning) for one release
 * @param schedulerPrincipals  emails that may call runs and audits
 * @param operatorPrincipals   emails that may call everything
 * @param clockSkew            tolerance on {@code exp}, {@code iat} and {@code nbf}; at most 60 s
 * @param jwksTimeout          bound on one JWKS fetch
 * @param maxTokenBytes        longer tokens are refused before parsing (Google ID tokens are about 1 KB)
 */
@ConfigurationProperties("rotor.auth")
public record AuthProperties(
        @Nullable String mode,
        @Nullable List<String> audiences,
        @Nullable String audience,
        @Bindable(defaultValue = GOOGLE_JWKS) String jwksUri,
        @Bindable(defaultValue = "") List<String> schedulerPrincipals,
        @Bindable(defaultValue = "") List<String> operatorPrincipals,
        @Bindable(defaultValue = "30s") Duration clockSkew,
        @Bindable(defaultValue = "5s") Duration jwksTimeout,
        @Bindable(defaultValue = "4096") int maxTokenBytes) {

    public static final String GOOGLE_JWKS = "https://www.googleapis.com/oauth2/v3/certs";
    public static final Duration MAX_SKEW = Duration.ofSeconds(60);

    public AuthProperties {
        if (clockSkew.compareTo(MAX_SKEW) > 0 || clockSkew.isNegative()) {
            throw new IllegalArgumentException("rotor.auth.clock-skew must be between 0 and 60 s, not " + clockSkew);
        }
        if (mode != null && !mode.isBlank()) {
            AuthMode.parse(mode);
        }
        audiences = audiences == null ? List.of() : audiences.stream().map(String::trim).filter(a -> !a.isEmpty()).toList();
    }
}
