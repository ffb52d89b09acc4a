package dev.rotor.api;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of bad token gets the right status, a problem body, and causes no Google API call. Each
 * subclass runs the whole suite in one way of deploying Rotor (its {@link #settings()}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BadTokenSuite {
    Api api;

    /** The mode and front end this run of the suite uses. */
    abstract Map<String, Object> settings();

    /** The status of a good token sent only in {@code X-Serverless-Authorization}. */
    abstract int serverlessHeaderOnly();

    @BeforeAll
    void start() {
        api = new Api(settings());
    }

    @AfterAll
    void stop() {
        api.close();
    }

    String forged(Map<String, Object> overrides) {
        return api.env.emulator.oidc().idToken(Api.OPERATOR, Api.AUDIENCE, overrides);
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private String signedBy(RSAKey key, String kid) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://accounts.google.com").audience(Api.AUDIENCE)
                .claim("email", Api.OPERATOR).claim("email_verified", true)
                .issueTime(Date.from(api.env.clock.instant()))
                .expirationTime(Date.from(api.env.clock.instant().plusSeconds(3600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    void expect(int status, String method, String path, Map<String, String> headers) {
        long before = api.env.emulator.faults().totalCalls();
        HttpResponse<String> r = api.call(method, path, method.equals("POST") ? "{}" : null, headers);
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertTrue(r.body().contains("\"detail\""), r.body());
        if (status == 401) {
            assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
        }
        assertEquals(before, api.env.emulator.faults().totalCalls(), "a refused call must not reach Google");
    }

    void expectBearer(int status, String method, String path, String token) {
        expect(status, method, path, Map.of("Authorization", "Bearer " + token));
    }

    @Test
    void refusesEveryKindOfBadToken() throws Exception {
        String good = api.token(Api.OPERATOR);
        String[] parts = good.split("\\.");
        String otherSignature = api.token(Api.SCHEDULER).split("\\.")[2];
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
        RSAKey publicKey = api.env.emulator.oidc().publicKey();
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(publicKey.getKeyID()).build(),
                SignedJWT.parse(good).getJWTClaimsSet());
        hs.sign(new MACSigner(publicKey.toRSAPublicKey().getEncoded()));
        Instant now = api.env.clock.instant();

        Map<String, Supplier<String>> tokens = new LinkedHashMap<>();
        tokens.put("malformed", () -> "not-a-jwt");
        tokens.put("bad signature", () -> parts[0] + "." + parts[1] + "." + otherSignature);
        tokens.put("tampered claims", () -> parts[0] + "." + b64("{\"email\":\"" + Api.OPERATOR + "\",\"aud\":\""
                + Api.AUDIENCE + "\"}") + "." + parts[2]);
        tokens.put("wrong key, unknown kid", () -> sneaky(() -> signedBy(stranger, "stranger")));
        tokens.put("wrong key, known kid", () -> sneaky(() -> signedBy(stranger, publicKey.getKeyID())));
        tokens.put("expired", () -> forged(Map.of("exp", Date.from(now.minusSeconds(120)))));
        tokens.put("not yet valid", () -> forged(Map.of("nbf", Date.from(now.plusSeconds(600)))));
        tokens.put("issued in the future", () -> forged(Map.of("iat", Date.from(now.plusSeconds(600)))));
        tokens.put("wrong audience", () -> api.env.emulator.oidc().idToken(Api.OPERATOR, "https://other.example"));
        tokens.put("wrong issuer", () -> forged(Map.of("iss", "https://evil.example")));
        tokens.put("unverified email", () -> forged(Map.of("email_verified", false)));
        tokens.put("no email", () -> forged(Map.of("email", "")));
        tokens.put("alg none", () -> b64("{\"alg\":\"none\"}") + "." + parts[1] + ".");
        tokens.put("empty third segment", () -> parts[0] + "." + parts[1] + ".");
        tokens.put("HS256 with the public key", hs::serialize);
        tokens.put("oversized", () -> "a".repeat(5000));
        int cases = 0;
        for (Map.Entry<String, Supplier<String>> t : tokens.entrySet()) {
            try {
                expectBearer(401, "GET", "/v1/secrets", t.getValue().get());
            } catch (AssertionError e) {
                throw new AssertionError(t.getKey() + ": " + e.getMessage(), e);
            }
            cases++;
        }
        expect(401, "GET", "/v1/secrets", Map.of());
        expect(401, "GET", "/v1/secrets", Map.of("Authorization", "Basic " + good));
        expect(401, "POST", "/v1/runs", Map.of("Authorization", "Bearer"));
        cases += 3;
        expectBearer(403, "GET", "/v1/secrets", api.token("someone@demo-project.iam.gserviceaccount.com"));
        expectBearer(403, "GET", "/v1/secrets", api.token(Api.SCHEDULER));
        expectBearer(403, "POST", "/v1/secrets/demo-project/db:rotate", api.token(Api.SCHEDULER));
        expectBearer(403, "GET", "/v1/plan", api.token(Api.SCHEDULER));
        cases += 4;
        System.out.println(getClass().getSimpleName() + " bad-token cases: " + cases);
        assertTrue(cases >= 15);
    }

    @Test
    void aTokenInXServerlessAuthorizationCountsOnlyWhereCloudRunReadsIt() {
        HttpResponse<String> r = api.call("GET", "/v1/secrets", null,
                Map.of("X-Serverless-Authorization", "Bearer " + api.token(Api.OPERATOR)));
        assertEquals(serverlessHeaderOnly(), r.statusCode(), r.body());
    }

    @Test
    void anExpiredTokenIsRefusedOnceTheSkewHasPassed() {
        String token = api.token(Api.OPERATOR);
        api.env.clock.advance(Duration.ofMinutes(60).plusSeconds(10));
        assertEquals(200, api.call("GET", "/v1/secrets", null, Map.of("Authorization", "Bearer " + token)).statusCode(),
                "within the 30 s skew");
        api.env.clock.advance(Duration.ofSeconds(30));
        expectBearer(401, "GET", "/v1/secrets", token);
    }

    @Test
    void rightPrincipalsGetThrough() {
        assertEquals(200, api.as(Api.SCHEDULER, "POST", "/v1/runs", null).statusCode());
        assertEquals(200, api.as(Api.SCHEDULER, "POST", "/v1/audits", "{}").statusCode());
        assertEquals(200, api.as(Api.OPERATOR, "GET", "/v1/secrets", null).statusCode());
        assertEquals(200, api.as(Api.OPERATOR, "GET", "/v1/plan", null).statusCode());
        assertEquals(200, api.call("GET", "/health/liveness", null, Map.of()).statusCode(), "probes need no token");
    }

    interface Failing<T> {
        T get() throws Exception;
    }

    static <T> T sneaky(Failing<T> f) {
        try {
            return f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
