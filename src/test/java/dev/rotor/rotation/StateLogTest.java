package dev.rotor.rotation;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.rotor.local.faults.Faults;
import dev.rotor.logging.CloudLoggingLayout;
import dev.rotor.policy.RotationState;
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

    @Test
    void aRollbacksWritesNameItsActorKeepTheLeaseWhileConsumersRollAndNeverCarryAPayload() throws Exception {
        try (Engine e = new Engine(Map.of("rotor.roll.check-every", "5ms"))) {
            String service = ConsumersTest.PARENT + "/services/api";
            ConsumersTest.service(e, "api", "1", false);
            e.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.consumers",
                    "run:" + service));
            e.run();
            e.env.clock.advance(Duration.ofDays(2));
            e.run();
            entries();
            e.env.bean(Rollback.class).rollBack(new SecretRef(Engine.PROJECT, "db"),
                    "operator@demo-project.iam.gserviceaccount.com", "version 2 broke checkout");
            List<Map<String, Object>> rollback = entries();
            assertTrue(rollback.size() >= 3, rollback.toString());
            String run = (String) rollback.getFirst().get("run");
            assertTrue(run.startsWith("rollback-"), run);
            for (Map<String, Object> entry : rollback) {
                assertEquals("operator@demo-project.iam.gserviceaccount.com", entry.get("actor"));
                assertEquals("version 2 broke checkout", entry.get("reason"));
                assertEquals(run, entry.get("run"));
            }
            assertEquals("ROTATING", rollback.getFirst().get("phase"), "the claim");
            Map<String, Object> commit = rollback.get(1);
            assertEquals(3, ((Number) commit.get("current")).intValue());
            assertEquals("ROLLING", commit.get("phase"), "committed, its consumer not rolled yet");
            assertEquals(run, ((Map<?, ?>) commit.get("lease")).get("holder"), "the lease is kept through the roll");
            Map<String, Object> done = rollback.getLast();
            assertEquals("IDLE", done.get("phase"));
            assertEquals("rolled back from version 2", done.get("outcome"));
            assertEquals(Map.of("run:" + service, 3), done.get("rolled"));
            assertNull(done.get("lease"));
            String payload = e.access("db", "1");
            assertFalse(rollback.toString().contains(payload), "no entry carries the credential");

            // the MDC is per thread and a run writes on threads of its own: only a write on the caller's thread
            // can show a scope left open
            StateLog.written(REF, annotations("generated", RotationState.NEW));
            Map<String, Object> after = entries().getFirst();
            assertNull(after.get("actor"), "the rollback's scope was closed on its own thread");
            assertNull(after.get("run"), "nor is a later write filed under the rollback's run");
        }
    }

    private static final SecretRef REF = new SecretRef(Engine.PROJECT, "db");
    private static final java.time.Instant T = java.time.Instant.parse("2026-01-05T10:00:00Z");

    private static Map<String, String> annotations(String kind, RotationState state) {
        return StateCodec.write(Map.of("rotor.kind", kind), state);
    }

    @Test
    void onlyAFailureThatGaveTheLeaseBackIsAWarning() throws Exception {
        RotationState claimed = RotationState.NEW.claimed("run-7", "a-1", T, T.plusSeconds(600));
        StateLog.written(REF, annotations("generated", claimed.failed("failed: AddSecretVersion denied")));
        StateLog.written(REF, annotations("generated", claimed.failed("failed: AddSecretVersion denied")
                .claimed("run-8", "a-2", T, T.plusSeconds(600))));
        StateLog.written(REF, annotations("generated", claimed.idle("rotated", null)));
        StateLog.written(REF, annotations("generated", claimed));
        List<String> severities = entries().stream().map(m -> (String) m.get("severity")).toList();
        assertEquals(List.of("WARNING", "INFO", "INFO", "INFO"), severities,
                "the failure record; a later claim still carrying that outcome; a success; no outcome at all");
    }

    @Test
    void anEntryCarriesTheRecordsTimesAndTheLeaseHolderAsItsRun() throws Exception {
        RotationState s = RotationState.NEW.claimed("run-7", "a-1", T, T.plusSeconds(600))
                .committed(4, T, T.plusSeconds(3600), Map.of(), RotationState.Phase.ROLLING, T.plusSeconds(7200))
                .revoking(true);
        StateLog.written(REF, annotations("access-token", s));
        Map<String, Object> entry = entries().getFirst();
        assertEquals("2026-01-05T11:00:00Z", entry.get("expiresAt"));
        assertEquals("2026-01-05T12:00:00Z", entry.get("retireAt"));
        assertEquals("run-7", entry.get("run"), "no run in the MDC: the lease holder");
        assertEquals("a-1", entry.get("attempt"));
        assertEquals(0, ((Number) entry.get("attempts")).intValue(), "a commit starts the count again");
        assertEquals(true, entry.get("revokePending"));
        assertEquals(4, ((Number) entry.get("current")).intValue());

        StateLog.written(REF, annotations("access-token", RotationState.NEW));
        Map<String, Object> empty = entries().getFirst();
        assertNull(empty.get("expiresAt"));
        assertNull(empty.get("retireAt"));
        assertNull(empty.get("lease"));
    }

    @Test
    void aKindLongerThanFortyCharactersIsCutAndAStateThatDoesNotReadBackIsAWarningAlone() throws Exception {
        String longKind = "k".repeat(41);
        StateLog.written(REF, annotations(longKind, RotationState.NEW));
        assertEquals("k".repeat(40), entries().getFirst().get("kind"));

        StateLog.written(REF, Map.of("rotor.kind", "generated", "rotor.state", "{not json"));
        List<ILoggingEvent> events = List.copyOf(logs.list);
        List<Map<String, Object>> entries = entries();
        assertEquals(1, entries.size(), entries.toString());
        assertEquals("WARNING", entries.getFirst().get("severity"));
        assertTrue(events.getFirst().getFormattedMessage().contains("does not read back"), entries.toString());
        assertNull(entries.getFirst().get("event"), "no state-change entry for a state that does not read");
    }
}
