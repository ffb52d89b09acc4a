package dev.rotor.status;

import dev.rotor.api.Api;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status page sits behind the authentication of {@code /v1}: as deployed (cloud-run mode behind the emulated
 * Cloud Run front end) only an operator reads it; local mode opens it, and only local mode can.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusAuthTest {
    private final Api rotor = new Api();

    @AfterAll
    void close() {
        rotor.close();
    }

    @Test
    void withoutATokenThePageIsRefusedBeforeAnyGoogleCall() {
        long before = rotor.env.emulator.faults().totalCalls();
        HttpResponse<String> r = rotor.call("GET", "/", null, Map.of());
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(before, rotor.env.emulator.faults().totalCalls());
    }

    @Test
    void aTokenWhoseSignatureIsForgedIsRefused() {
        String good = rotor.token(Api.OPERATOR);
        String forged = good.substring(0, good.lastIndexOf('.') + 1) + "SIGNATURE_REMOVED_BY_GOOGLE";
        assertEquals(401, rotor.call("GET", "/", null, Map.of("Authorization", "Bearer " + forged)).statusCode());
    }

    @Test
    void theSchedulerMayNotReadIt() {
        HttpResponse<String> r = rotor.as(Api.SCHEDULER, "GET", "/", null);
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains("may call runs and audits only"), r.body());
    }

    @Test
    void anOperatorReadsItWithAPolicyThatAllowsOnlyInlineStyles() {
        HttpResponse<String> r = rotor.as(Api.OPERATOR, "GET", "/", null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), r.headers().toString());
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.startsWith("default-src 'none'; style-src 'unsafe-inline'"), csp);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(r.body().contains("<h1>Rotor status</h1>"), r.body());
        assertFalse(r.body().contains("<script"), "no script on the page");
    }

    @Test
    void localModeOpensThePageButNotTheApi() throws Exception {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("micronaut.server.port", -1, "rotor.local.run-every", "1h"), "local")) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.getURI()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains("data-secret=\"demo-project/demo-db-password\""), page.body());
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(server.getURI().resolve("/v1/secrets")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, api.statusCode(), api.body());
        }
    }

    @Test
    void onlyTheEmulatorMayOpenThePage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StatusAccess(new StatusProperties(true), false));
        assertTrue(e.getMessage().contains("local mode only"), e.getMessage());
        try (Api open = new Api(Map.of("rotor.status.open", "true"))) {
            assertEquals(200, open.call("GET", "/", null, Map.of()).statusCode());
            assertEquals(401, open.call("GET", "/v1/secrets", null, Map.of()).statusCode());
        }
    }
}
