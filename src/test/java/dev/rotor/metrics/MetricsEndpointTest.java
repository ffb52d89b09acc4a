package dev.rotor.metrics;

import dev.rotor.local.EmulatedContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local mode serves Prometheus text at {@code GET /metrics}; elsewhere the path is not routed unless enabled. */
class MetricsEndpointTest {
    @Test
    void localModeServesTheRunsMetersAsPrometheusText() throws InterruptedException {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("micronaut.server.port", -1, "rotor.local.run-every", "1h",
                        "rotor.emulator.key-propagation", "0s", "rotor.emulator.revision-ready-delay", "0s"), "local");
             HttpClient http = HttpClient.create(server.getURL())) {
            // local mode plays Cloud Scheduler: its first pass starts 2 s after startup; wait for its end
            HttpResponse<String> response = http.toBlocking().exchange(HttpRequest.GET("/metrics"), String.class);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
            while (!String.valueOf(response.body()).contains("rotor_run_completed") && System.nanoTime() < deadline) {
                Thread.sleep(100); // a poll interval for the scheduler's real-time pass, not a timing assertion
                response = http.toBlocking().exchange(HttpRequest.GET("/metrics"), String.class);
            }
            assertEquals(HttpStatus.OK, response.getStatus());
            assertTrue(response.getContentType().orElseThrow().toString().startsWith("text/plain"),
                    response.getContentType().toString());
            String text = response.body();
            // the seed's database password: new, so rotated by the first pass
            assertTrue(text.contains("rotor_rotations_total{kind=\"generated\",outcome=\"rotated\",project=\"demo-project\","
                    + "secret=\"demo-db-password\"} 1.0"), text);
            assertTrue(text.contains("rotor_version_age_seconds{kind=\"generated\",project=\"demo-project\","
                    + "secret=\"demo-db-password\"}"), text);
            assertTrue(text.contains("rotor_declarations_misconfigured{"), text);
            assertTrue(text.contains("rotor_run_completed{outcome="), text);
        }
    }

    @Test
    void withoutTheSettingMetricsIsNotRouted() {
        try (EmulatedContext env = new EmulatedContext(Map.of("rotor.projects", "demo-project"));
             HttpClient http = HttpClient.create(new java.net.URI(env.startServer()).toURL())) {
            HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                    () -> http.toBlocking().exchange(HttpRequest.GET("/metrics"), String.class));
            assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
        } catch (java.net.URISyntaxException | java.net.MalformedURLException e) {
            throw new AssertionError(e);
        }
    }
}
