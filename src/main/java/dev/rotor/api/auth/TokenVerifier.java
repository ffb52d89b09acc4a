package dev.rotor.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Verifies a Google-signed OIDC ID token (gcp-api-facts §7): RS256 with a key id only (so {@code none}, HS256
 * signed with the public key, and every other algorithm are refused before any key is used), the signature
 * against the JWKS, issuer, audience, {@code exp}/{@code iat}/{@code nbf} within the configured skew, a
 * verified email, and no {@code crit} header (RFC 7515 §4.1.11: Google's tokens carry none).
 *
 * <p>In {@link AuthMode#CLOUD_RUN} a token whose third segment is exactly {@link #SIGNATURE_REMOVED} is the
 * form Cloud Run's front end forwards after it verified the signature: Google's service-to-service page
 * (https://cloud.google.com/run/docs/authenticating/service-to-service) says Cloud Run removes the token's
 * signature before passing it to the container, and its troubleshooting page
 * (https://cloud.google.com/run/docs/troubleshooting#signature-removed) names the replacement. Such a token
 * skips only the signature check. A token with a real signature is verified in full in both modes.
 * A refusal names the check that failed, never the token.
 */
@Singleton
public final class TokenVerifier {
    static final Set<String> ISSUERS = Set.of("accounts.google.com", "https://accounts.google.com");
    /** What Cloud Run puts where the signature was (docs/api.md records the sources relied on). */
    public static final String SIGNATURE_REMOVED = "SIGNATURE_REMOVED_BY_GOOGLE";

    /** The token was refused; the message says which check failed. */
    public static final class Unauthorized extends RuntimeException {
        Unauthorized(String message) {
            super(message, null, false, false);
        }
    }

    private final JwksSource keys;
    private final AuthProperties properties;
    private final AuthMode mode;
    private final List<String> audiences;
    private final Clock clock;

    @Inject
    public TokenVerifier(JwksSource keys, AuthProperties properties, AuthSettings settings, Clock clock) {
        this(keys, properties, settings.mode(), settings.audiences(), clock);
    }

    /** A verifier with its own mode and audiences (the emulated front end verifies as {@code verify}). */
    public TokenVerifier(JwksSource keys, AuthProperties properties, AuthMode mode, List<String> audiences, Clock clock) {
        this.keys = keys;
        this.properties = properties;
        this.mode = mode;
        this.audiences = List.copyOf(audiences);
        this.clock = clock;
    }

    /** The verified email of the caller. */
    public String verify(String token) {
        if (token.length() > properties.maxTokenBytes()) {
            throw new Unauthorized("the token is longer than " + properties.maxTokenBytes() + " bytes");
        }
        if (token.endsWith(".")) {
            throw new Unauthorized("the token has no signature (an empty third segment)");
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
            // the header is the caller's text: naming its alg here would echo it into the problem and the log
            throw new Unauthorized("the token's header names an algorithm other than RS256; only RS256 is accepted");
        }
        String kid = jwt.getHeader().getKeyID();
        if (kid == null || kid.isBlank()) {
            throw new Unauthorized("the token's header names no signing key (kid)");
        }
        Set<String> critical = jwt.getHeader().getCriticalParams();
        if (critical != null && !critical.isEmpty()) {
            // RFC 7515 §4.1.11; Nimbus checks crit only in its verifiers, which a removed signature never reaches
            throw new Unauthorized("the token's header marks extensions critical (crit), and Rotor understands none");
        }
        if (SIGNATURE_REMOVED.equals(jwt.getSignature().toString())) {
            if (mode != AuthMode.CLOUD_RUN) {
                throw new Unauthorized("the token's signature was removed (the form Cloud Run forwards); "
                        + "rotor.auth.mode is verify, so only a signed token is accepted");
            }
        } else {
            checkSignature(jwt, kid);
        }
        checkClaims(claims);
        return (String) claims.getClaim("email");
    }

    private void checkSignature(SignedJWT jwt, String kid) {
        RSAKey key = keys.key(kid).orElse(null);
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
    }

    private void checkClaims(JWTClaimsSet c) {
        if (c.getIssuer() == null || !ISSUERS.contains(c.getIssuer())) {
            throw new Unauthorized("the token's issuer is not Google (accounts.google.com)");
        }
        if (c.getAudience() == null || c.getAudience().stream().noneMatch(a -> a != null && audiences.contains(a))) {
            throw new Unauthorized("the token's audience is not this service (rotor.auth.audiences)");
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
