package dev.rotor.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local mode greets once, and the token and the call it suggests work as printed. */
class GreetingTest {
    private static final Pattern TOKEN_URL = Pattern.compile("OP=\\$\\(curl -sf \"([^\"]+)\"\\)");
    private static final Pattern STATUS_PAGE = Pattern.compile("status page, in a browser \\(no token in local mode\\): (\\S+)");
    private static final Pattern FIRST_CALL = Pattern.compile("curl -s --fail-with-body -H \"Authorization: Bearer \\$OP\" (\\S+)");

    @Test
    void greetsOnceWithACallThatWorks() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Greeting.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        logger.setLevel(Level.INFO);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("micronaut.server.port", -1, "rotor.local.run-every", "1h"), "local")) {
            List<String> greetings = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(1, greetings.size(), greetings.toString());
            String greeting = greetings.getFirst();
            String url = server.getURL().toString().replaceAll("/$", "");
            assertTrue(greeting.startsWith("Rotor is running in local mode at " + url
                    + ", on its embedded Google Cloud emulator"), greeting);

            HttpClient http = HttpClient.newHttpClient();
            String token = get(http, group(TOKEN_URL, greeting));
            HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(group(FIRST_CALL, greeting)))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, first.statusCode(), first.body());
            assertTrue(first.body().contains("demo-db-password"), first.body());
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(group(STATUS_PAGE, greeting))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains("demo-db-password"), page.body());
        } finally {
            logger.detachAppender(logs);
        }
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertTrue(m.find(), pattern + " not in: " + text);
        return m.group(1);
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body().trim();
    }
}
