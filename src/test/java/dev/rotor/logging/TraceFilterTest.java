package dev.rotor.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.rotor.local.EmulatedContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run report logged while serving a request carries that request's Cloud Trace id. */
class TraceFilterTest {
    @Test
    void logLinesOfARequestCarryItsTrace() throws Exception {
        Logger runs = (Logger) LoggerFactory.getLogger("dev.rotor.api.RunsController");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        runs.addAppender(logs);
        runs.setLevel(Level.INFO);
        try (EmulatedContext env = new EmulatedContext(Map.of("rotor.projects", "demo-project",
                "rotor.logging.project-id", "demo-project"))) {
            String base = env.startServer().replaceAll("/$", "");
            String token = env.emulator.oidc().idToken("scheduler@demo-project.iam.gserviceaccount.com",
                    "https://rotor.test");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v1/runs"))
                    .header("Authorization", "Bearer " + token)
                    .header("X-Cloud-Trace-Context", "105445aa7843bc8bf206b12000100000/1;o=1")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            ILoggingEvent report = logs.list.stream().filter(e -> e.getFormattedMessage().startsWith("run report"))
                    .findFirst().orElseThrow();
            assertEquals("projects/demo-project/traces/105445aa7843bc8bf206b12000100000",
                    report.getMDCPropertyMap().get(TraceFilter.MDC_KEY));
            String json = new CloudLoggingLayout().doLayout(report);
            assertTrue(json.contains("\"logging.googleapis.com/trace\":\"projects/demo-project/traces/"), json);
        } finally {
            runs.detachAppender(logs);
        }
    }
}
