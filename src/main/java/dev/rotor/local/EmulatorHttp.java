package dev.rotor.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rotor.local.iam.OidcIssuer;
import dev.rotor.local.secretmanager.SecretManagerRest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * The emulator's loopback HTTP face: Secret Manager's REST surface under {@code /v1/} (for gcloud), and, for
 * clients of a standalone emulator, the OIDC issuer: {@code /emulator/id-token?email=E&audience=A} (an
 * emulator-signed ID token, plain text) and {@code /emulator/jwks} (its keys, as Google's certs endpoint).
 */
final class EmulatorHttp implements AutoCloseable {
    private final HttpServer server;

    EmulatorHttp(int port, SecretManagerRest secretManager, OidcIssuer oidc, ExecutorService executor) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("the emulator could not listen on HTTP port " + port + ": " + e.getMessage(), e);
        }
        server.createContext("/v1/", ex -> {
            SecretManagerRest.Response r = secretManager.handle(ex.getRequestMethod(), ex.getRequestURI().getRawPath()
                    .replace("%3A", ":").replace("%3a", ":"), Forms.parse(ex.getRequestURI().getRawQuery()),
                    ex.getRequestHeaders().getFirst("Authorization"));
            send(ex, r.status(), "application/json; charset=utf-8", r.json());
        });
        server.createContext("/emulator/id-token", ex -> {
            Map<String, String> q = Forms.parse(ex.getRequestURI().getRawQuery());
            if (!q.containsKey("email") || !q.containsKey("audience")) {
                send(ex, 400, "text/plain; charset=utf-8", "email and audience are required");
                return;
            }
            send(ex, 200, "text/plain; charset=utf-8", oidc.idToken(q.get("email"), q.get("audience")));
        });
        server.createContext("/emulator/jwks", ex -> send(ex, 200, "application/json", oidc.jwks()));
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
