package dev.rotor.api;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cloud-run} mode with nothing in front: what reaches the container is taken as Cloud Run would
 * forward it. Signed tokens are still verified in full (the inherited suite); the removed-signature form
 * skips only the signature check, so every claim check is proven here on that form.
 */
class CloudRunModeAuthTest extends BadTokenSuite {
    @Override
    Map<String, Object> settings() {
        return Map.of("rotor.auth.mode", "cloud-run", "rotor.emulator.front-end.enabled", "false");
    }

    @Override
    int serverlessHeaderOnly() {
        return 200;
    }

    /** The token as Cloud Run's front end passes it on. */
    static String forwarded(String token) {
        return token.substring(0, token.lastIndexOf('.') + 1) + "SIGNATURE_REMOVED_BY_GOOGLE";
    }

    @Test
    void theForwardedFormIsAcceptedForTheRightPrincipals() {
        assertEquals(200, api.call("GET", "/v1/secrets", null,
                Map.of("Authorization", "Bearer " + forwarded(api.token(Api.OPERATOR)))).statusCode());
        assertEquals(200, api.call("POST", "/v1/runs", "{}",
                Map.of("Authorization", "Bearer " + forwarded(api.token(Api.SCHEDULER)))).statusCode());
    }

    @Test
    void theForwardedFormStillPassesEveryOtherCheck() {
        Instant now = api.env.clock.instant();
        String good = api.token(Api.OPERATOR);
        String[] parts = good.split("\\.");
        Map<String, Supplier<String>> tokens = new LinkedHashMap<>();
        tokens.put("wrong audience", () -> api.env.emulator.oidc().idToken(Api.OPERATOR, "https://other.example"));
        tokens.put("wrong issuer", () -> forged(Map.of("iss", "https://evil.example")));
        tokens.put("expired", () -> forged(Map.of("exp", Date.from(now.minusSeconds(120)))));
        tokens.put("not yet valid", () -> forged(Map.of("nbf", Date.from(now.plusSeconds(600)))));
        tokens.put("issued in the future", () -> forged(Map.of("iat", Date.from(now.plusSeconds(600)))));
        tokens.put("unverified email", () -> forged(Map.of("email_verified", false)));
        tokens.put("no email", () -> forged(Map.of("email", "")));
        tokens.put("alg none", () -> b64("{\"alg\":\"none\",\"kid\":\"k\"}") + "." + parts[1] + ".x");
        tokens.put("HS256 header", () -> b64("{\"alg\":\"HS256\",\"kid\":\"k\"}") + "." + parts[1] + ".x");
        tokens.put("no key id", () -> b64("{\"alg\":\"RS256\"}") + "." + parts[1] + ".x");
        tokens.put("tampered claims", () -> parts[0] + "." + b64("{\"email\":\"" + Api.OPERATOR + "\"}") + ".x");
        for (Map.Entry<String, Supplier<String>> t : tokens.entrySet()) {
            String token = t.getValue().get();
            String marked = token.substring(0, token.lastIndexOf('.') + 1) + "SIGNATURE_REMOVED_BY_GOOGLE";
            try {
                expectBearer(401, "GET", "/v1/secrets", marked);
            } catch (AssertionError e) {
                throw new AssertionError(t.getKey() + ": " + e.getMessage(), e);
            }
        }
        expectBearer(403, "GET", "/v1/secrets", forwarded(api.token("someone@demo-project.iam.gserviceaccount.com")));
        expectBearer(403, "GET", "/v1/secrets", forwarded(api.token(Api.SCHEDULER)));
        expectBearer(403, "POST", "/v1/secrets/demo-project/db:rotate", forwarded(api.token(Api.SCHEDULER)));
    }

    @Test
    void onlyTheExactMarkerStandsForARemovedSignature() {
        String good = api.token(Api.OPERATOR);
        String base = good.substring(0, good.lastIndexOf('.') + 1);
        for (String third : new String[] {"", "SIGNATURE_REMOVED", "signature_removed_by_google",
                "SIGNATURE_REMOVED_BY_GOOGLEX", "U0lHTkFUVVJFX1JFTU9WRURfQllfR09PR0xF"}) {
            try {
                expectBearer(401, "GET", "/v1/secrets", base + third);
            } catch (AssertionError e) {
                throw new AssertionError("third segment '" + third + "': " + e.getMessage(), e);
            }
        }
    }

    @Test
    void refusalsNameTheCheckAndNeverEchoTheToken() {
        String token = forwarded(forged(Map.of("email_verified", false)));
        HttpResponse<String> r = api.call("GET", "/v1/secrets", null, Map.of("Authorization", "Bearer " + token));
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("the token's email is not verified"), r.body());
        assertTrue(!r.body().contains(token.split("\\.")[1]), "the token's claims are echoed: " + r.body());
    }

    @Test
    void aRefusedAlgorithmIsNotEchoed() {
        // the header is the caller's text: echoing it would put it in the problem and, with a newline, forge log lines
        String parts1 = api.token(Api.OPERATOR).split("\\.")[1];
        String token = b64("{\"alg\":\"ECHOED\\nforged log line\",\"kid\":\"k\"}") + "." + parts1 + ".SIGNATURE_REMOVED_BY_GOOGLE";
        HttpResponse<String> r = api.call("GET", "/v1/secrets", null, Map.of("Authorization", "Bearer " + token));
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("only RS256 is accepted"), r.body());
        assertTrue(!r.body().contains("ECHOED"), "the token's header is echoed: " + r.body());
    }

    @Test
    void xServerlessAuthorizationWinsOverAuthorizationAsOnCloudRun() {
        // Cloud Run checks X-Serverless-Authorization when present; an unchecked Authorization must not count
        HttpResponse<String> r = api.call("GET", "/v1/secrets", null, Map.of(
                "X-Serverless-Authorization", "Bearer " + forwarded(api.token(Api.SCHEDULER)),
                "Authorization", "Bearer " + forwarded(api.token(Api.OPERATOR))));
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains(Api.SCHEDULER), r.body());
    }
}
