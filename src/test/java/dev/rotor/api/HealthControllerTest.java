package dev.rotor.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import dev.rotor.gcp.FakeApplicationDefaultCredentials;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness as production starts: Google's endpoints and application default credentials. */
@MicronautTest
@Property(name = "rotor.credentials", value = "application-default")
@Property(name = FakeApplicationDefaultCredentials.PROPERTY, value = "true")
class HealthControllerTest {
    @Inject
    @Client("/")
    HttpClient client;

    @Test
    void livenessIsUpWithoutTouchingAnyDependency() {
        HttpResponse<String> response = client.toBlocking().exchange(HttpRequest.GET("/health/liveness"), String.class);
        assertEquals(200, response.code());
        assertTrue(response.body().contains("\"UP\""));
    }

    @Test
    void readinessIsUpWhenEveryClientCanBeBuilt() {
        HttpResponse<String> response = client.toBlocking().exchange(HttpRequest.GET("/health/readiness"), String.class);
        assertEquals(200, response.code());
    }

    @Test
    void readinessNamesTheClientThatCannotBeBuilt() {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("rotor.gcp.kms.endpoint", "cloudkms.googleapis.com", "rotor.credentials", "application-default",
                        FakeApplicationDefaultCredentials.PROPERTY, "true"), "test");
             HttpClient other = HttpClient.create(server.getURL())) {
            HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                    () -> other.toBlocking().exchange(HttpRequest.GET("/health/readiness"), String.class));
            assertEquals(503, e.getStatus().getCode());
            String body = e.getResponse().getBody(String.class).orElseThrow();
            assertTrue(body.contains("KeyManagementServiceClient cannot be built"), body);
            assertEquals("application/problem+json", e.getResponse().getContentType().orElseThrow().toString());
            // liveness stays up: a bad dependency must not get the instance restarted in a loop
            assertEquals(200, other.toBlocking().exchange(HttpRequest.GET("/health/liveness")).code());
        }
    }
}
