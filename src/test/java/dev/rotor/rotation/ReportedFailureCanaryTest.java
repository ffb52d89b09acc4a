package dev.rotor.rotation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.rotor.local.faults.Faults;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.grpc.Status;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The canary for failures that are reported, not recovered: the write took effect (so the payload is known
 * and can be looked for), but Google answered with an error Rotor does not retry, so the error text reaches
 * the run report and the logs. {@link CanaryTest} injects failures Rotor recovers from, whose text is never
 * shown.
 */
class ReportedFailureCanaryTest {
    @ParameterizedTest
    @ValueSource(strings = {"PERMISSION_DENIED", "INVALID_ARGUMENT", "FAILED_PRECONDITION"})
    void aRefusedAddSecretVersionReportsWithoutThePayload(String code) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger rotor = (Logger) LoggerFactory.getLogger("dev.rotor");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        Level level = rotor.getLevel();
        rotor.setLevel(Level.DEBUG); // Rotor's own debug lines too; the framework's stay at their level
        try (Engine e = new Engine()) {
            e.declare("db", Map.of("rotor.kind", "generated"));
            e.env.emulator.faults().fail("AddSecretVersion", Status.Code.valueOf(code), Faults.When.AFTER, 1);
            RunReport report = e.run();
            assertEquals(1, report.summary().failed(), report.toString());
            String error = report.secrets().getFirst().error();
            assertNotNull(error, "the failure is reported");
            String payload = e.access("db", "1");
            StringBuilder seen = new StringBuilder(ObjectMapper.getDefault().writeValueAsString(report)).append(error);
            seen.append(e.env.bean(PrometheusMeterRegistry.class).scrape());
            for (ILoggingEvent l : logs.list) {
                seen.append(l.getFormattedMessage()).append('\n').append(CanaryTest.JSON.doLayout(l));
                for (IThrowableProxy t = l.getThrowableProxy(); t != null; t = t.getCause()) {
                    seen.append(t.getMessage()).append('\n');
                }
            }
            assertFalse(seen.toString().contains(payload), "the payload leaked: " + payload.substring(0, 4) + "...");
        } finally {
            root.detachAppender(logs);
            rotor.setLevel(level);
        }
    }
}
