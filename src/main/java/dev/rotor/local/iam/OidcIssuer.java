package dev.rotor.local.iam;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * The emulator's stand-in for Google's OIDC signer: RS256 ID tokens with Google's issuer and claims
 * ({@code iss}, {@code aud}, {@code sub}, {@code email}, {@code email_verified}, {@code iat}, {@code exp};
 * gcp-api-facts §7), and the JWKS that verifies them. The key pair is made at start and never leaves memory.
 */
public final class OidcIssuer {
    public static final String ISSUER = "https://accounts.google.com";
    public static final Duration LIFETIME = Duration.ofHours(1);
    private final Clock clock;
    private final RSAKey key;

    public OidcIssuer(Clock clock) {
        this.clock = clock;
        try {
            this.key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the emulator's signing key", e);
        }
    }

    public String idToken(String email, String audience) {
        return idToken(email, audience, Map.of());
    }

    /** An ID token; {@code overrides} replace standard claims (tests use it to forge bad tokens). */
    public String idToken(String email, String audience, Map<String, Object> overrides) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(audience)
                .subject(subjectOf(email)).claim("email", email).claim("email_verified", true)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME)));
        overrides.forEach(claims::claim);
        return sign(claims.build());
    }

    String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an ID token", e);
        }
    }

    /** The public keys, as Google serves them at its certs endpoint. */
    public String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    public RSAKey publicKey() {
        return key.toPublicJWK();
    }

    /** A stable numeric subject per email, like a service account's unique id. */
    static String subjectOf(String email) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(email.getBytes(StandardCharsets.UTF_8));
            return new java.math.BigInteger(1, java.util.Arrays.copyOf(h, 9)).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
