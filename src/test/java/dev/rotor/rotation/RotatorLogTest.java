package dev.rotor.rotation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.rotor.local.faults.Faults;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link Rotator} logs when a rotation fails for a reason it expects: one warning naming the secret and the
 * version left, no error with a stack trace (kept for bugs), and never the payload.
 */
class RotatorLogTest {
    private final RotatorFixture f = new RotatorFixture();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Rotator.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void capture() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void close() {
        logger.detachAppender(logs);
        f.close();
    }

    @Test
    void anExpectedFailureIsOneWarningNamingTheSecretAndVersionAndNeverThePayload() {
        f.engine.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.grace", "PT0S",
                "rotor.keep-enabled", "1"));
        f.run("db");
        f.advance(Duration.ofDays(2)); // due, with version 1 to retire: the outcome is written after the commit
        f.engine.hook.at(Step.RETIRE, 1, () -> f.engine.env.emulator.faults()
                .fail("UpdateSecret", Status.Code.FAILED_PRECONDITION, Faults.When.BEFORE, 1));
        SecretResult r = f.run("db");
        assertEquals(SecretResult.FAILED, r.outcome(), r.toString());
        String payload = f.engine.access("db", "2");
        List<ILoggingEvent> failed = logs.list.stream()
                .filter(e -> e.getFormattedMessage().startsWith("rotation of ")).toList();
        assertEquals(1, failed.size(), logs.list.toString());
        assertEquals(Level.WARN, failed.getFirst().getLevel());
        assertTrue(failed.getFirst().getFormattedMessage().contains(Engine.name("db"))
                && failed.getFirst().getFormattedMessage().endsWith("; version 2 is committed as current"),
                failed.getFirst().getFormattedMessage());
        assertFalse(logs.list.stream().anyMatch(e -> e.getLevel() == Level.ERROR), "an expected failure is no bug");
        assertFalse(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(payload)));
        assertFalse(r.toString().contains(payload));
    }
}
