package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link Rotator} reports and refuses, on one emulated Rotor: the version rotated from becomes
 * {@code previous}; a resumed attempt and a resumed roll are reported as resumes with the version they leave
 * current; a version that cannot be read back, or a version found after an interrupted attempt that does not
 * verify, is never committed, and the error says what was left. Each test has a secret of its own.
 */
class RotatorTest {
    private static final String MISSING = "run:" + ConsumersTest.PARENT + "/services/missing";
    private static Engine engine;

    @BeforeAll
    static void start() {
        engine = new Engine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static SecretResult result(RunReport report, String secret) {
        return report.secrets().stream().filter(s -> s.secret().equals(secret)).findFirst().orElseThrow();
    }

    @Test
    void theVersionRotatedFromBecomesPreviousAndTheReportSaysFromAndTo() {
        engine.declare("twice", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"));
        SecretResult first = result(engine.run(), "twice");
        assertEquals("rotate", first.action());
        assertNull(first.fromVersion());
        assertEquals(1L, first.toVersion());
        assertEquals(Map.of("current", 1L), engine.aliases("twice"));
        engine.env.clock.advance(Duration.ofDays(2));
        SecretResult second = result(engine.run(), "twice");
        assertEquals(SecretResult.ROTATED, second.outcome(), second.toString());
        assertEquals(1L, second.fromVersion());
        assertEquals(2L, second.toVersion());
        assertEquals(Map.of("current", 2L, "previous", 1L), engine.aliases("twice"));
    }

    @Test
    void anAttemptInterruptedAfterItsAddIsResumedAndReportedAsAResume() {
        engine.declare("resumed", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.runCrashingAt(Step.COMMIT); // the second rotation dies between its add and its commit
        engine.env.clock.advance(Duration.ofHours(1)); // the dead attempt's lease is over
        SecretResult r = result(engine.run(), "resumed");
        assertEquals("resume", r.action());
        assertEquals(SecretResult.ROTATED, r.outcome(), r.toString());
        assertEquals(1L, r.fromVersion());
        assertEquals(2L, r.toVersion(), "the interrupted attempt's version, adopted by number");
        assertEquals(2, engine.versions("resumed").size(), "not a third");
    }

    @Test
    void aRollStillOwedIsResumedAndReportedWithTheVersionItRolls() {
        engine.declare("owed", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P30D",
                "rotor.consumers", MISSING));
        assertEquals(SecretResult.FAILED, result(engine.run(), "owed").outcome(), "the consumer cannot roll");
        SecretResult r = result(engine.run(), "owed");
        assertEquals("resume", r.action());
        assertEquals(1L, r.fromVersion());
        assertEquals(1L, r.toVersion(), "the roll of version 1 is retried; nothing new is minted");
        assertEquals("version 1 is current, but [" + MISSING + "] did not roll; the next run retries the roll", r.error());
        assertEquals(1, engine.versions("owed").size());
    }

    @Test
    void aVersionThatCannotBeReadBackIsNeverCommitted() {
        engine.declare("unreadable", Map.of("rotor.kind", "generated"));
        engine.hook.at(Step.READBACK, 1, () -> engine.client.disableSecretVersion(
                Engine.name("unreadable") + "/versions/1"));
        SecretResult r = result(engine.run(), "unreadable");
        assertEquals(SecretResult.FAILED, r.outcome());
        assertNull(r.toVersion());
        assertTrue(r.error().endsWith("; version 1 was added but not committed, current stays none, and the next run "
                + "adopts version 1"), r.error());
        assertNull(engine.state("unreadable").current());
        assertFalse(engine.aliases("unreadable").containsKey("current"));
    }

    @Test
    void aVersionFoundAfterAnInterruptedAttemptThatDoesNotVerifyIsNeverCommitted() {
        engine.declare("foreign", Map.of("rotor.kind", "generated", "rotor.length", "32"));
        engine.runCrashingAt(Step.PUBLISH); // claimed, nothing added
        engine.client.addSecretVersion(Engine.name("foreign"), SecretPayload.newBuilder()
                .setData(ByteString.copyFromUtf8("short")).build()); // not a credential this policy makes
        engine.env.clock.advance(Duration.ofHours(1));
        SecretResult r = result(engine.run(), "foreign");
        assertEquals(SecretResult.FAILED, r.outcome(), r.toString());
        assertTrue(r.error().endsWith("; nothing was published, current stays none"), r.error());
        assertNull(engine.state("foreign").current());
        assertFalse(engine.aliases("foreign").containsKey("current"));
    }
}
