package dev.rotor.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudLoggingLayoutTest {
    private static LoggingEvent event(Level level, String message, Map<String, String> mdc) {
        LoggingEvent e = new LoggingEvent("x", new LoggerContext().getLogger("dev.rotor.Thing"), level, message, null, null);
        e.setMDCPropertyMap(mdc);
        return e;
    }

    @Test
    void writesOneCloudLoggingJsonObjectPerLineWithTheTrace() throws Exception {
        CloudLoggingLayout layout = new CloudLoggingLayout();
        layout.setEnvironments("");
        String line = layout.doLayout(event(Level.WARN, "rotated \"db\"\nnext", Map.of("trace", "projects/p/traces/abc")));
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, line);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = ObjectMapper.getDefault().readValue(line, Map.class);
        assertEquals("WARNING", json.get("severity"));
        assertEquals("rotated \"db\"\nnext", json.get("message"));
        assertEquals("projects/p/traces/abc", json.get("logging.googleapis.com/trace"));
        assertTrue(json.containsKey("time"));
    }

    @Test
    void writesKeyValuePairsAsJsonFieldsAndLeavesOutEmptyOnes() throws Exception {
        CloudLoggingLayout layout = new CloudLoggingLayout();
        layout.setEnvironments("");
        LoggingEvent e = event(Level.INFO, "state of db", Map.of());
        e.addKeyValuePair(new org.slf4j.event.KeyValuePair("secret", "db \"x\""));
        e.addKeyValuePair(new org.slf4j.event.KeyValuePair("current", 3L));
        e.addKeyValuePair(new org.slf4j.event.KeyValuePair("keyIds", Map.of("3", "k3")));
        e.addKeyValuePair(new org.slf4j.event.KeyValuePair("pendingKeys", java.util.List.of("k4")));
        e.addKeyValuePair(new org.slf4j.event.KeyValuePair("previous", null));
        @SuppressWarnings("unchecked")
        Map<String, Object> json = ObjectMapper.getDefault().readValue(layout.doLayout(e), Map.class);
        assertEquals("db \"x\"", json.get("secret"));
        assertEquals(3, ((Number) json.get("current")).intValue());
        assertEquals(Map.of("3", "k3"), json.get("keyIds"));
        assertEquals(java.util.List.of("k4"), json.get("pendingKeys"));
        assertTrue(!json.containsKey("previous"), "a pair without a value is left out");
        layout.setEnvironments("local");
        assertTrue(layout.doLayout(e).contains("state of db secret=db \"x\" current=3"), layout.doLayout(e));
    }

    @Test
    void writesTextInLocalMode() {
        CloudLoggingLayout layout = new CloudLoggingLayout();
        layout.setEnvironments("test, local");
        String line = layout.doLayout(event(Level.INFO, "hello", Map.of()));
        assertTrue(line.contains("INFO  Thing - hello"), line);
    }
}
