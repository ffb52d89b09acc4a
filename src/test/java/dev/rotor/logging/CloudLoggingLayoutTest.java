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
    void writesTextInLocalMode() {
        CloudLoggingLayout layout = new CloudLoggingLayout();
        layout.setEnvironments("test, local");
        String line = layout.doLayout(event(Level.INFO, "hello", Map.of()));
        assertTrue(line.contains("INFO  Thing - hello"), line);
    }
}
