package dev.rotor.api.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.List;

/**
 * How callers are authenticated (DESIGN §4). Every {@code /v1} call carries a Google-signed OIDC ID token.
 *
 * @param jwksUri              where the signing keys are published (Google's by default)
 * @param audience             the {@code aud} a token must carry: the service URL
 * @param schedulerPrincipals  emails that may call runs and audits
 * @param operatorPrincipals   emails that may call everything
 * @param clockSkew            tolerance on {@code exp}, {@code iat} and {@code nbf}; at most 60 s
 * @param jwksTimeout          bound on one JWKS fetch
 * @param maxTokenBytes        longer tokens are refused before parsing (Google ID tokens are about 1 KB)
 */
@ConfigurationProperties("rotor.auth")
public record AuthProperties(
        @Bindable(defaultValue = GOOGLE_JWKS) String jwksUri,
        @Nullable String audience,
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
    }
}
