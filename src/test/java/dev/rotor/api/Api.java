package dev.rotor.api;

import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import dev.rotor.local.EmulatedContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** Rotor over real HTTP against the emulator, with helpers to mint tokens and make calls (also the status page tests). */
public final class Api implements AutoCloseable {
    public static final String AUDIENCE = "https://rotor.test";
    public static final String SCHEDULER = "scheduler@demo-project.iam.gserviceaccount.com";
    public static final String OPERATOR = "operator@demo-project.iam.gserviceaccount.com";
    public final EmulatedContext env;
    public final String base;
    public final SecretManagerServiceClient sm;
    private final HttpClient http = HttpClient.newHttpClient();

    public Api(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(Map.of("rotor.projects", "demo-project",
                "rotor.retry.base-delay", "1ms"));
        props.putAll(extra);
        env = new EmulatedContext(props);
        base = env.startServer();
        sm = env.bean(SecretManagerServiceClient.class);
    }

    public Api() {
        this(Map.of());
    }

    public String token(String email) {
        return env.emulator.oidc().idToken(email, AUDIENCE);
    }

    public Secret declare(String id, Map<String, String> annotations, boolean managed) {
        Secret.Builder b = Secret.newBuilder().putAllAnnotations(annotations)
                .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()));
        if (managed) {
            b.putLabels("rotor", "managed");
        }
        return sm.createSecret("projects/demo-project", id, b.build());
    }

    public HttpResponse<String> call(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
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

    public HttpResponse<String> as(String email, String method, String path, String body) {
        return call(method, path, body, Map.of("Authorization", "Bearer " + token(email)));
    }

    @Override
    public void close() {
        env.close();
    }
}
