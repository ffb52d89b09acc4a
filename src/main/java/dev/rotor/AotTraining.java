package dev.rotor;

import dev.rotor.rotation.RunService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

/**
 * The training run of the Java AOT cache, at image build time (see the Dockerfile): starts Rotor in local
 * mode on its emulator, serves a few requests and runs one pass, so the classes a real start and run load
 * are in the cache, then exits. Never used at run time.
 */
public final class AotTraining {
    private static final Logger LOG = LoggerFactory.getLogger(AotTraining.class);

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("micronaut.server.port", -1, "rotor.local.run-every", "1h"), "local")) {
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"/health/liveness", "/health/readiness", "/local/endpoints", "/v1/secrets"}) {
                http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            var report = server.getApplicationContext().getBean(RunService.class)
                    .run(new RunService.RunRequest("aot-training", Set.of(), false));
            LOG.info("AOT training run: {}", report.summary());
        }
        System.exit(0);
    }
}
