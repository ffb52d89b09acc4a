package dev.rotor.status;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code gcloud run services proxy SERVICE --token=TOKEN} runs on the operator's laptop (its cloud-run-proxy:
 * GoogleCloudPlatform/cloud-run-proxy, main.go): a loopback HTTP proxy that sets {@code Authorization: Bearer
 * TOKEN} on every request and forwards it. The browser then opens the page like any other.
 */
final class TokenProxy implements AutoCloseable {
    private static final List<String> COPIED = List.of("Content-Type", "Content-Security-Policy",
            "X-Content-Type-Options", "Cache-Control", "Referrer-Policy");
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    TokenProxy(String target, Supplier<String> token) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                URI uri = URI.create(target.replaceAll("/$", "") + exchange.getRequestURI());
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + token.get()).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                r.headers().map().entrySet().stream().filter(h -> COPIED.stream().anyMatch(h.getKey()::equalsIgnoreCase))
                        .forEach(h -> exchange.getResponseHeaders().put(h.getKey(), h.getValue()));
                exchange.sendResponseHeaders(r.statusCode(), r.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
