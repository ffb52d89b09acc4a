package dev.rotor.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Set;

/**
 * Verifies a Google-signed OIDC ID token (gcp-api-facts §7): RS256 only (so {@code none}, HS256 signed with
 * the public key, and every other algorithm are refused before any key is used), the signature against the
 * JWKS, issuer, audience, {@code exp}/{@code iat}/{@code nbf} within the configured skew, a verified email.
 * A refusal names the check that failed, never the token.
 */
@Singleton
public final class TokenVerifier {
    static final Set<String> ISSUERS = Set.of("accounts.google.com", "https://accounts.google.com");

    /** The token was refused; the message says which check failed. */
    public static final class Unauthorized extends RuntimeException {
        Unauthorized(String message) {
            super(message, null, false, false);
        }
    }

    private final JwksSource keys;
    private final AuthProperties properties;
    private final Clock clock;

    public TokenVerifier(JwksSource keys, AuthProperties properties, Clock clock) {
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
    }

    /** The verified email of the caller. */
    public String verify(String token) {
        if (token.length() > properties.maxTokenBytes()) {
            throw new Unauthorized("the token is longer than " + properties.maxTokenBytes() + " bytes");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | IllegalArgumentException e) {
            throw new Unauthorized("the token is not a signed JWT");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new Unauthorized("the token is signed with " + jwt.getHeader().getAlgorithm() + "; only RS256 is accepted");
        }
        String kid = jwt.getHeader().getKeyID();
        RSAKey key = kid == null ? null : keys.key(kid).orElse(null);
        if (key == null) {
            throw new Unauthorized("the token's signing key is not one of the issuer's published keys");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(key))) {
                throw new Unauthorized("the token's signature does not verify");
            }
        } catch (JOSEException e) {
            throw new Unauthorized("the token's signature does not verify");
        }
        checkClaims(claims);
        return (String) claims.getClaim("email");
    }

    private void checkClaims(JWTClaimsSet c) {
        if (!ISSUERS.contains(c.getIssuer())) {
            throw new Unauthorized("the token's issuer is not Google (accounts.google.com)");
        }
        if (properties.audience() == null || !c.getAudience().contains(properties.audience())) {
            throw new Unauthorized("the token's audience is not this service (rotor.auth.audience)");
        }
        Instant now = clock.instant();
        if (c.getExpirationTime() == null || !instant(c.getExpirationTime()).plus(properties.clockSkew()).isAfter(now)) {
            throw new Unauthorized("the token has expired");
        }
        if (c.getIssueTime() == null || instant(c.getIssueTime()).minus(properties.clockSkew()).isAfter(now)) {
            throw new Unauthorized("the token is issued in the future");
        }
        if (c.getNotBeforeTime() != null && instant(c.getNotBeforeTime()).minus(properties.clockSkew()).isAfter(now)) {
            throw new Unauthorized("the token is not valid yet");
        }
        Object email = c.getClaim("email");
        if (!(email instanceof String s) || s.isBlank()) {
            throw new Unauthorized("the token carries no email (mint it with include_email)");
        }
        if (!Boolean.TRUE.equals(c.getClaim("email_verified"))) {
            throw new Unauthorized("the token's email is not verified");
        }
    }

    private static Instant instant(Date d) {
        return d.toInstant();
    }
}
