package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.SecretVersion;
import dev.rotor.policy.RotationState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each step of {@link Rotator} and what it leaves: the order the step hook sees, what a roll records, and
 * retirement going by the consumers declared when it starts rather than those the attempt began with.
 */
class RotatorStepsTest {
    private final RotatorFixture f = new RotatorFixture();
    private final Engine engine = f.engine;

    @AfterEach
    void close() {
        f.close();
    }

    private static Map<String, String> policy(String consumers) {
        return Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.grace", "PT0S",
                "rotor.keep-enabled", "1", "rotor.consumers", consumers);
    }

    @Test
    void aRotationWithAConsumerPassesEveryStepInOrder() {
        engine.declare("db", policy(f.service("api")));
        List<Step> seen = new CopyOnWriteArrayList<>();
        engine.hook.also((step, ref) -> seen.add(step));
        assertEquals(SecretResult.ROTATED, f.run("db").outcome());
        assertEquals(List.of(Step.values()), seen);
    }

    @Test
    void aConsumerThatRolledIsRecordedAsServingTheNewVersionAndTheLeaseGoesBack() {
        String api = f.service("api");
        engine.declare("db", policy(api));
        f.run("db");
        f.advance(Duration.ofDays(2));
        SecretResult r = f.run("db");
        assertEquals(SecretResult.ROTATED, r.outcome(), r.toString());
        RotationState s = f.state("db");
        assertEquals(Map.of(api, 2L), s.rolled());
        assertEquals(RotationState.Phase.IDLE, s.phase());
        assertEquals(SecretVersion.State.DISABLED, f.versionState("db", 1), "nothing serves it any more");
    }

    @Test
    void aConsumerThatCannotRollKeepsTheVersionItServesEnabledAndTheErrorSaysSo() {
        engine.declare("db", policy(RotatorFixture.MISSING));
        f.run("db");
        f.advance(Duration.ofDays(2));
        SecretResult r = f.manual("db", false);
        assertEquals(SecretResult.FAILED, r.outcome(), r.toString());
        assertEquals("version 2 is current, but [" + RotatorFixture.MISSING + "] did not roll; versions [1] they still"
                + " serve stay enabled; the next run retries the roll", r.error());
        assertEquals(SecretVersion.State.ENABLED, f.versionState("db", 1));
    }

    @Test
    void anOperatorsRotationDuringARollStillOwedIsReportedAsARotationNotAResume() {
        engine.declare("db", policy(RotatorFixture.MISSING));
        f.run("db");
        assertEquals(RotationState.Phase.ROLLING, f.state("db").phase());
        SecretResult r = f.manual("db", false);
        assertEquals("rotate", r.action());
        assertEquals(1L, r.fromVersion());
        assertEquals(2L, r.toVersion());
    }

    @Test
    void retirementGoesByTheConsumersDeclaredWhenItStartsNotThoseTheAttemptBeganWith() {
        String api = f.service("api");
        engine.declare("db", policy(api + "," + RotatorFixture.MISSING));
        f.run("db");
        f.advance(Duration.ofDays(2));
        // during the roll, the consumer that cannot roll is taken out of the declaration
        engine.hook.at(Step.RETIRE, 1, () -> f.externalWrite("db", "rotor.consumers", api));
        SecretResult r = f.manual("db", false);
        assertEquals(2L, r.toVersion(), r.toString());
        assertEquals(SecretVersion.State.DISABLED, f.versionState("db", 1), "no declared consumer serves it now");
        RotationState s = f.state("db");
        assertEquals(RotationState.Phase.IDLE, s.phase(), "every consumer declared now has rolled: " + s);
        assertEquals(null, s.leaseHolder());
    }

    @Test
    void aDeclarationChangedDuringTheRollIsReadOnceAndTheFinalWriteNeedsNoSecondTry() {
        String api = f.service("api");
        engine.declare("db", policy(api));
        f.run("db");
        f.advance(Duration.ofDays(2));
        long[] writes = new long[1];
        engine.hook.at(Step.RETIRE, 1, () -> {
            f.externalWrite("db", "team", "payments");
            writes[0] = engine.env.emulator.faults().calls("UpdateSecret");
        });
        assertEquals(SecretResult.ROTATED, f.run("db").outcome());
        assertEquals(1, engine.env.emulator.faults().calls("UpdateSecret") - writes[0],
                "the outcome is written on the secret read for retirement, not on the one from before the roll");
        assertTrue(f.state("db").leaseHolder() == null);
        assertEquals("payments", f.annotation("db", "team"));
    }
}
