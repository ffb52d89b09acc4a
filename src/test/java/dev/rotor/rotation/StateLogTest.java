package dev.rotor.rotation;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.rotor.local.faults.Faults;
import dev.rotor.logging.CloudLoggingLayout;
import dev.rotor.secret.SecretRef;
import io.grpc.Status;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every state write is one structured Cloud Logging entry carrying the state as written (docs/observability.md). */
class StateLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(StateLog.LOGGER);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final CloudLoggingLayout layout = new CloudLoggingLayout();

    private ch.qos.logback.classic.Level level;

    @BeforeEach
    void capture() {
        logs.start();
        logger.addAppender(logs);
        level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO); // the tests' root level is WARN
    }

    @AfterEach
    void release() {
        logger.detachAppender(logs);
        logger.setLevel(level);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> entries() throws Exception {
        List<Map<String, Object>> entries = new java.util.ArrayList<>();
        for (ILoggingEvent e : logs.list) {
            entries.add(ObjectMapper.getDefault().readValue(layout.doLayout(e), Map.class));
        }
        logs.list.clear();
        return entries;
    }

    @Test
    void eachStateWriteOfARotationIsOneEntryWithTheStateItWrote() throws Exception {
        try (Engine e = new Engine()) {
            String sa = e.account("app");
            e.declare("key", Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa));
            e.run();
            List<Map<String, Object>> entries = entries();
            // claim, the key's write-ahead record, the commit
            assertEquals(3, entries.size(), entries.toString());
            Map<String, Object> claim = entries.getFirst();
            assertEquals("state-change", claim.get("event"));
            assertEquals("INFO", claim.get("severity"));
            assertEquals("demo-project", claim.get("project"));
            assertEquals("key", claim.get("secret"));
            assertEquals("service-account-key", claim.get("kind"));
            assertEquals("ROTATING", claim.get("phase"));
            assertEquals("run-1", claim.get("run"));
            assertEquals(Map.of("holder", "run-1", "expiry", "2026-01-05T10:10:00Z"), claim.get("lease"));
            String keyId = ((List<String>) entries.get(1).get("pendingKeys")).getFirst();
            Map<String, Object> commit = entries.getLast();
            assertEquals("IDLE", commit.get("phase"));
            assertEquals(1, ((Number) commit.get("current")).intValue());
            assertEquals(Map.of("1", keyId), commit.get("keyIds"), "the key id of each version");
            assertEquals("rotated", commit.get("outcome"));
            assertEquals("run-1", commit.get("run"));
            assertNull(commit.get("actor"), "a scheduled run has no actor");
        }
    }

    @Test
    void aManualRotationNamesItsActorAndReasonAndAFailureLeavesItsStateInAWarning() throws Exception {
        try (Engine e = new Engine()) {
            e.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"));
            e.run();
            entries();
            e.env.bean(ManualRotation.class).rotate(new SecretRef(Engine.PROJECT, "db"),
                    "operator@demo-project.iam.gserviceaccount.com", "suspected leak", false);
            List<Map<String, Object>> manual = entries();
            assertFalse(manual.isEmpty());
            for (Map<String, Object> entry : manual) {
                assertEquals("operator@demo-project.iam.gserviceaccount.com", entry.get("actor"));
                assertEquals("suspected leak", entry.get("reason"));
                assertTrue(((String) entry.get("run")).startsWith("manual-"), entry.toString());
            }
            assertEquals(2, ((Number) manual.getLast().get("current")).intValue());
            assertEquals(1, ((Number) manual.getLast().get("previous")).intValue());

            e.env.clock.advance(Duration.ofDays(2));
            e.env.emulator.faults().fail("AddSecretVersion", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1);
            e.run();
            Map<String, Object> left = entries().getLast();
            assertEquals("WARNING", left.get("severity"));
            assertEquals("ROTATING", left.get("phase"), "the phase the failure left, resumed by the next run");
            assertEquals(2, ((Number) left.get("current")).intValue(), "current stays");
            assertTrue(((String) left.get("outcome")).startsWith("failed: AddSecretVersion"), left.toString());
            assertNull(left.get("lease"), "the lease was given back");
        }
    }
}
