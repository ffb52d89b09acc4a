package dev.rotor.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.local.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Each check of a Google ID token (gcp-api-facts §7) on its own, from one valid token with one claim or header
 * changed: the refusal names the check, and each time bound holds exactly at the configured skew.
 */
class TokenVerifierTest {
    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
    private static final String AUDIENCE = "https://rotor.test";
    private static final String EMAIL = "operator@demo-project.iam.gserviceaccount.com";
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final RSAKey KEY = generate("google-key-1");
    private static final RSAKey STRANGER = generate("google-key-1");
    private static final JwksSource JWKS = kid -> kid.equals(KEY.getKeyID()) ? Optional.of(KEY.toPublicJWK())
            : Optional.empty();

    private final MutableClock clock = new MutableClock(NOW);

    private static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private TokenVerifier verifier(AuthMode mode, int maxTokenBytes) {
        AuthProperties p = new AuthProperties(mode.label(), List.of(AUDIENCE), null, AuthProperties.GOOGLE_JWKS,
                List.of(), List.of(), SKEW, Duration.ofSeconds(5), maxTokenBytes);
        return new TokenVerifier(JWKS, p, mode, List.of(AUDIENCE, "https://rotor-1.europe-west1.run.app"), clock);
    }

    private TokenVerifier verifier() {
        return verifier(AuthMode.VERIFY, 4096);
    }

    /** What Google's token endpoint issues, with {@code tweak} applied to the claims. */
    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer("https://accounts.google.com").audience(AUDIENCE).subject("1234")
                .claim("email", EMAIL).claim("email_verified", true).issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))));
    }

    private static String token(UnaryOperator<JWTClaimsSet.Builder> tweak) {
        return sign(KEY, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(), tweak);
    }

    private static String sign(RSAKey key, JWSHeader header, UnaryOperator<JWTClaimsSet.Builder> tweak) {
        try {
            SignedJWT jwt = new SignedJWT(header, tweak.apply(claims()).build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String signatureRemoved(String token) {
        return token.substring(0, token.lastIndexOf('.') + 1) + TokenVerifier.SIGNATURE_REMOVED;
    }

    private String refusal(TokenVerifier v, String token) {
        return assertThrows(TokenVerifier.Unauthorized.class, () -> v.verify(token)).getMessage();
    }

    private String refusal(String token) {
        return refusal(verifier(), token);
    }

    @Test
    void aValidTokenYieldsItsEmail() {
        assertEquals(EMAIL, verifier().verify(token(c -> c)));
    }

    @Test
    void aTokenOfExactlyTheMaximumLengthIsReadAndOneByteMoreIsNot() {
        String token = token(c -> c);
        assertEquals(EMAIL, verifier(AuthMode.VERIFY, token.length()).verify(token));
        assertEquals("the token is longer than " + (token.length() - 1) + " bytes",
                refusal(verifier(AuthMode.VERIFY, token.length() - 1), token));
    }

    @Test
    void malformedAndUnsignedTokensAreRefused() {
        String token = token(c -> c);
        assertEquals("the token is not a signed JWT", refusal("not-a-jwt"));
        assertEquals("the token has no signature (an empty third segment)",
                refusal(token.substring(0, token.lastIndexOf('.') + 1)));
    }

    @Test
    void onlyRs256WithAKeyIdIsAccepted() {
        assertEquals("the token's header names an algorithm other than RS256; only RS256 is accepted",
                refusal(sign(KEY, new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(KEY.getKeyID()).build(), c -> c)));
        assertEquals("the token's header names no signing key (kid)",
                refusal(sign(KEY, new JWSHeader.Builder(JWSAlgorithm.RS256).build(), c -> c)));
        assertEquals("the token's header names no signing key (kid)",
                refusal(sign(KEY, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(" ").build(), c -> c)));
    }

    /**
     * RFC 7515 §4.1.11: a recipient must refuse a JWS whose {@code crit} names extensions it does not understand.
     * Google's ID tokens carry none; Nimbus's verifier enforces it for signed tokens only, so a token whose
     * signature Cloud Run removed would pass its extensions unchecked without Rotor's own check.
     */
    @Test
    void aTokenWithCriticalExtensionsIsRefusedSignedOrWithItsSignatureRemoved() {
        JWSHeader critical = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID())
                .criticalParams(java.util.Set.of("scope-binding")).customParam("scope-binding", "rotate").build();
        String token = sign(KEY, critical, c -> c);
        String expected = "the token's header marks extensions critical (crit), and Rotor understands none";
        assertEquals(expected, refusal(token));
        assertEquals(expected, refusal(verifier(AuthMode.CLOUD_RUN, 4096), signatureRemoved(token)));
    }

    @Test
    void theSignatureIsCheckedAgainstThePublishedKeyOfItsId() {
        assertEquals("the token's signing key is not one of the issuer's published keys",
                refusal(sign(KEY, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("google-key-2").build(), c -> c)));
        assertEquals("the token's signature does not verify",
                refusal(sign(STRANGER, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(), c -> c)));
    }

    @Test
    void theRemovedSignatureFormIsAcceptedOnlyInCloudRunModeAndItsClaimsAreStillChecked() {
        String forwarded = signatureRemoved(token(c -> c));
        assertEquals(EMAIL, verifier(AuthMode.CLOUD_RUN, 4096).verify(forwarded));
        assertEquals("the token's signature was removed (the form Cloud Run forwards); rotor.auth.mode is verify, so "
                + "only a signed token is accepted", refusal(forwarded));
        assertEquals("the token's audience is not this service (rotor.auth.audiences)",
                refusal(verifier(AuthMode.CLOUD_RUN, 4096), signatureRemoved(token(c -> c.audience("https://other")))));
        assertEquals("the token's signature does not verify", refusal(verifier(AuthMode.CLOUD_RUN, 4096),
                sign(STRANGER, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(), c -> c)),
                "a real signature is verified in cloud-run mode too");
    }

    @ParameterizedTest
    @ValueSource(strings = {"accounts.google.com", "https://accounts.google.com"})
    void bothOfGooglesIssuerSpellingsAreAccepted(String issuer) {
        assertEquals(EMAIL, verifier().verify(token(c -> c.issuer(issuer))));
    }

    @Test
    void anotherOrNoIssuerIsRefused() {
        assertEquals("the token's issuer is not Google (accounts.google.com)", refusal(token(c -> c.issuer("https://evil"))));
        assertEquals("the token's issuer is not Google (accounts.google.com)", refusal(token(c -> c.issuer(null))));
    }

    @Test
    void oneAcceptedAudienceAmongSeveralIsEnough() {
        assertEquals(EMAIL, verifier().verify(token(c -> c.audience(List.of("https://other",
                "https://rotor-1.europe-west1.run.app")))));
        assertEquals("the token's audience is not this service (rotor.auth.audiences)",
                refusal(token(c -> c.audience(List.of("https://other", "https://another")))));
        assertEquals("the token's audience is not this service (rotor.auth.audiences)",
                refusal(token(c -> c.audience((String) null))));
    }

    @Test
    void anExpiredTokenIsAcceptedUntilTheSkewHasPassed() {
        Instant exp = NOW.plus(Duration.ofHours(1));
        String token = token(c -> c);
        clock.set(exp.plus(SKEW).minusMillis(1));
        assertEquals(EMAIL, verifier().verify(token));
        clock.set(exp.plus(SKEW));
        assertEquals("the token has expired", refusal(token));
        assertEquals("the token has expired", refusal(token(c -> c.expirationTime(null))));
    }

    @Test
    void aTokenIssuedInTheFutureIsAcceptedWithinTheSkew() {
        assertEquals(EMAIL, verifier().verify(token(c -> c.issueTime(Date.from(NOW.plus(SKEW))))));
        assertEquals("the token is issued in the future",
                refusal(token(c -> c.issueTime(Date.from(NOW.plus(SKEW).plusSeconds(1))))));
        assertEquals("the token is issued in the future", refusal(token(c -> c.issueTime(null))));
    }

    @Test
    void aTokenNotValidYetIsAcceptedWithinTheSkew() {
        assertEquals(EMAIL, verifier().verify(token(c -> c.notBeforeTime(Date.from(NOW.plus(SKEW))))));
        assertEquals("the token is not valid yet",
                refusal(token(c -> c.notBeforeTime(Date.from(NOW.plus(SKEW).plusSeconds(1))))));
    }

    @Test
    void theEmailMustBePresentAndVerified() {
        String noEmail = "the token carries no email (mint it with include_email)";
        assertEquals(noEmail, refusal(token(c -> c.claim("email", null))));
        assertEquals(noEmail, refusal(token(c -> c.claim("email", " "))));
        assertEquals(noEmail, refusal(token(c -> c.claim("email", 42))));
        assertEquals("the token's email is not verified", refusal(token(c -> c.claim("email_verified", false))));
        assertEquals("the token's email is not verified", refusal(token(c -> c.claim("email_verified", "true"))));
        assertEquals("the token's email is not verified", refusal(token(c -> c.claim("email_verified", null))));
    }
}
