package dev.rotor.local.compute;

import com.google.cloud.compute.v1.InstanceGroupManager;
import com.google.gson.JsonObject;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compute Engine's REST surface for managed instance groups, on loopback HTTP: the Java client speaks only
 * REST (gcp-api-facts §8.2). Zonal and regional {@code instanceGroupManagers} GET and PATCH, and the zone and
 * region operations the client polls, in the proto JSON mapping (protobuf-java-util); errors in Google's
 * JSON error shape, which the client maps to status codes.
 */
public final class ComputeApiServer implements AutoCloseable {
    private static final Pattern IGM = Pattern.compile(
            "^/compute/v1/(projects/[^/]+)/((?:zones|regions)/[^/]+)/instanceGroupManagers/([^/]+)$");
    private static final Pattern OPERATION = Pattern.compile(
            "^/compute/v1/projects/[^/]+/((?:zones|regions)/[^/]+)/operations/([^/]+)$");
    private final MigState state;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public ComputeApiServer(MigState state) {
        this.state = state;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("the emulated Compute API could not start: " + e.getMessage(), e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:port}, the endpoint for the Compute client. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            int code = 200;
            String body;
            try {
                body = JsonFormat.printer().print(answer(x));
            } catch (MigState.HttpError e) {
                code = e.code;
                body = error(e.code, e.getMessage());
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
            x.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Google's JSON error shape ({@code {"error": {"code", "message"}}}). */
    private static String error(int code, String message) {
        JsonObject inner = new JsonObject();
        inner.addProperty("code", code);
        inner.addProperty("message", message);
        JsonObject outer = new JsonObject();
        outer.add("error", inner);
        return outer.toString();
    }

    private Message answer(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        // google-http-client sends PATCH as POST with this header (the JDK's HttpURLConnection has no PATCH)
        String override = x.getRequestHeaders().getFirst("X-HTTP-Method-Override");
        String method = override != null ? override : x.getRequestMethod();
        Matcher m = IGM.matcher(path);
        if (m.matches()) {
            String name = m.group(1) + "/" + m.group(2) + "/instanceGroupManagers/" + m.group(3);
            if (method.equals("GET")) {
                return state.get(name);
            }
            if (method.equals("PATCH")) {
                InstanceGroupManager.Builder patch = InstanceGroupManager.newBuilder();
                try {
                    JsonFormat.parser().ignoringUnknownFields().merge(new String(x.getRequestBody().readAllBytes(),
                            StandardCharsets.UTF_8), patch);
                } catch (InvalidProtocolBufferException e) {
                    throw new MigState.HttpError(400, "Invalid JSON payload received: " + e.getMessage());
                }
                return state.patch(name, patch.build(), m.group(2));
            }
        }
        Matcher o = OPERATION.matcher(path);
        if (o.matches() && method.equals("GET")) {
            return state.operation(o.group(1), o.group(2));
        }
        throw new MigState.HttpError(404, "the emulated Compute API does not serve " + method + " " + path);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
