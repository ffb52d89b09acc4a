package dev.rotor.api;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * As deployed: {@code cloud-run} mode behind the emulated Cloud Run front end, which verifies the token,
 * checks the invoker list and forwards the token with its signature removed.
 */
class FrontEndAuthTest extends BadTokenSuite {
    static final String NOT_INVOKER = "ops-elsewhere@demo-project.iam.gserviceaccount.com";

    @Override
    Map<String, Object> settings() {
        return Map.of("rotor.auth.operator-principals", Api.OPERATOR + "," + NOT_INVOKER);
    }

    @Override
    int serverlessHeaderOnly() {
        return 200;
    }

    @Test
    void aPrincipalWithoutRunInvokerStopsAtTheFrontEnd() {
        long before = api.env.emulator.faults().totalCalls();
        HttpResponse<String> r = api.as(NOT_INVOKER, "GET", "/v1/secrets", null);
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains("roles/run.invoker"), r.body());
        assertEquals(before, api.env.emulator.faults().totalCalls());
    }

    @Test
    void aForgedTokenStopsAtTheFrontEnd() {
        String good = api.token(Api.OPERATOR);
        HttpResponse<String> r = api.call("GET", "/v1/secrets", null,
                Map.of("Authorization", "Bearer " + CloudRunModeAuthTest.forwarded(good)));
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.body().contains("emulated Cloud Run front end refused the token"), r.body());
    }

    @Test
    void rotorBehindTheFrontEndSeesTheTokenWithItsSignatureRemoved() {
        try (Api verifying = new Api(Map.of("rotor.auth.mode", "verify"))) {
            HttpResponse<String> r = verifying.as(Api.OPERATOR, "GET", "/v1/secrets", null);
            assertEquals(401, r.statusCode(), r.body());
            assertTrue(r.body().contains("signature was removed"), r.body());
        }
    }
}
