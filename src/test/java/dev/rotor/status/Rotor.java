package dev.rotor.status;

import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import dev.rotor.local.EmulatedContext;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Rotor's HTTP server on the emulator, as deployed (cloud-run mode behind the emulated front end), and its callers. */
final class Rotor implements AutoCloseable {
    static final String AUDIENCE = "https://rotor.test";
    static final String OPERATOR = "operator@demo-project.iam.gserviceaccount.com";
    static final String SCHEDULER = "scheduler@demo-project.iam.gserviceaccount.com";
    final EmulatedContext env;
    final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    Rotor(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(Map.of("rotor.projects", "demo-project", "rotor.retry.base-delay", "1ms"));
        props.putAll(extra);
        env = new EmulatedContext(props);
        base = env.startServer();
    }

    String token(String email) {
        return env.emulator.oidc().idToken(email, AUDIENCE);
    }

    void declare(String id, Map<String, String> annotations) {
        env.bean(SecretManagerServiceClient.class).createSecret("projects/demo-project", id, Secret.newBuilder()
                .putLabels("rotor", "managed").putAllAnnotations(annotations)
                .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance())).build());
    }

    HttpResponse<String> call(String method, String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.replaceAll("/$", "") + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> as(String email, String method, String path) {
        return call(method, path, Map.of("Authorization", "Bearer " + token(email)));
    }

    /** {@code GET /v1/secrets} as the operator: the rows the page must show. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> listing() throws IOException {
        HttpResponse<String> r = as(OPERATOR, "GET", "/v1/secrets");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /v1/secrets: " + r.statusCode() + " " + r.body());
        }
        return (List<Map<String, Object>>) ObjectMapper.getDefault().readValue(r.body(), Map.class).get("secrets");
    }

    @Override
    public void close() {
        env.close();
    }
}
