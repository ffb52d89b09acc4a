package dev.rotor;

import dev.rotor.api.auth.TokenVerifier;
import dev.rotor.local.DemoSeed;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The training run of the Java AOT cache, at image build time (see the Dockerfile); never used at run time.
 *
 * <p>It trains what a production instance loads, and nothing else: the cache preloads every class it holds at
 * each start, so a class only the training needed costs every start, and one production needs but the training
 * skipped is loaded from the jar on the request path. So Rotor starts as {@link Application} does, in cloud mode
 * (no {@code local} environment), with the production gRPC channels (Netty, over loopback) to the standalone
 * emulator, which runs in a child JVM so that its classes (gRPC servers, fakes, the JDK's HTTP server) stay
 * out of the cache. Then it serves what a first instance serves: the probes, Cloud Scheduler's run (an ID token
 * in the form Cloud Run's front end forwards, {@link TokenVerifier#SIGNATURE_REMOVED}) and an operator's
 * listing, over {@link HttpURLConnection}, the transport Google's auth library uses for the metadata server.
 * What it cannot reach here, and so leaves to the first request on Google: TLS to {@code *.googleapis.com}
 * and the metadata server's credentials (docs/performance.md).
 */
public final class AotTraining {
    private static final Logger LOG = LoggerFactory.getLogger(AotTraining.class);
    private static final String CALLER = "aot-training@" + DemoSeed.PROJECT + ".iam.gserviceaccount.com";
    private static final String AUDIENCE = "https://rotor.aot-training.invalid";
    private static final List<String> GRPC_SERVICES = List.of("secret-manager", "kms", "iam-credentials", "iam-admin",
            "cloud-run", "container");

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        Process emulator = startEmulator();
        try {
            Map<String, String> at = addresses(emulator);
            try (ApplicationContext ctx = Micronaut.build(args).mainClass(Application.class).banner(false)
                    .properties(cloudMode(at)).start()) {
                String base = ctx.getBean(EmbeddedServer.class).getURL().toString();
                String token = forwardedByCloudRun(call("GET", at.get("http") + "emulator/id-token?email="
                        + URLEncoder.encode(CALLER, StandardCharsets.UTF_8) + "&audience="
                        + URLEncoder.encode(AUDIENCE, StandardCharsets.UTF_8), null, null).body());
                expect(200, call("GET", base + "/health/liveness", null, null), "liveness");
                expect(200, call("GET", base + "/health/readiness", null, null), "readiness");
                expect(200, call("POST", base + "/v1/runs", token, "{}"), "the scheduled run");
                expect(200, call("GET", base + "/v1/secrets", token, null), "the listing");
                call("GET", base + "/v1/secrets", null, null);
            }
        } finally {
            emulator.destroy();
            emulator.waitFor(10, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    /** Cloud mode against the emulator, configured as {@code terraform/} configures the service. */
    private static Map<String, Object> cloudMode(Map<String, String> at) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", -1);
        p.put("rotor.projects", DemoSeed.PROJECT);
        p.put("rotor.credentials", "none");
        p.put("rotor.auth.mode", "cloud-run");
        p.put("rotor.auth.audiences", AUDIENCE);
        p.put("rotor.auth.scheduler-principals", CALLER);
        p.put("rotor.auth.operator-principals", CALLER);
        for (String service : GRPC_SERVICES) {
            p.put("rotor.gcp." + service + ".endpoint", at.get("grpc"));
            p.put("rotor.gcp." + service + ".plaintext", true);
        }
        p.put("rotor.gcp.compute.endpoint", at.get("http"));
        return p;
    }

    private static Process startEmulator() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.rotor.local.EmulatorMain",
                "--port", "0").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The emulator's one line: {@code rotor-emulator grpc=H:P http=URL ...}. */
    private static Map<String, String> addresses(Process emulator) throws IOException {
        String line = new BufferedReader(new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (line == null || !line.startsWith("rotor-emulator ")) {
            throw new IllegalStateException("the standalone emulator did not start: " + line);
        }
        Map<String, String> fields = new HashMap<>();
        for (String field : line.substring("rotor-emulator ".length()).split(" ")) {
            String[] kv = field.split("=", 2);
            fields.put(kv[0], kv[1]);
        }
        return fields;
    }

    private static String forwardedByCloudRun(String idToken) {
        return idToken.substring(0, idToken.lastIndexOf('.') + 1) + TokenVerifier.SIGNATURE_REMOVED;
    }

    private record Response(int status, String body) {
    }

    private static Response call(String method, String url, String token, String json) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        if (token != null) {
            c.setRequestProperty("Authorization", "Bearer " + token);
        }
        if (json != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** A training that did not reach the path it trains would write a cache of the wrong classes. */
    private static void expect(int status, Response response, String what) {
        if (response.status() != status) {
            throw new IllegalStateException("AOT training: " + what + " answered " + response.status() + ", not "
                    + status + ": " + response.body());
        }
        LOG.info("AOT training: {} answered {}", what, status);
    }
}
