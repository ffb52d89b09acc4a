package dev.rotor.rotation;

import com.google.api.gax.rpc.NotFoundException;
import dev.rotor.local.faults.Faults;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * "Did my call land?" answered by number while Google's lists lag (issue 11 item 9), and Secret Manager's
 * per-secret write rate met by pacing, with a quota refusal of the commit retried (item 13).
 */
class LandedAndPacedTest {
    private static final Map<String, String> GENERATED = Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D",
            "rotor.grace", "PT0S", "rotor.keep-enabled", "1");

    private static void assertNoVersion(Engine e, long n) {
        assertThrows(NotFoundException.class, () -> e.client.getSecretVersion(Engine.name("db") + "/versions/" + n),
                "version " + n + " would be a duplicate");
    }

    @Test
    void anAddWhoseAnswerWasLostIsFoundByNumberWhileTheListLags() {
        try (Engine e = new Engine(Map.of("rotor.emulator.list-lag", "PT10M"))) {
            e.declare("db", GENERATED);
            e.env.emulator.faults().fail("AddSecretVersion", Status.Code.UNAVAILABLE, Faults.When.AFTER, 1);
            RunReport r = e.run();
            assertEquals(1, r.summary().rotated(), r.toString());
            assertEquals(1L, e.state("db").current());
            assertNoVersion(e, 2);
        }
    }

    @Test
    void anInterruptedAttemptsVersionIsAdoptedByNumberWhileTheListLags() {
        try (Engine e = new Engine(Map.of("rotor.emulator.list-lag", "PT30M"))) {
            e.declare("db", GENERATED);
            e.hook.crashAt(Step.COMMIT);
            try {
                e.run();
            } catch (CrashHook.Crash expected) {
                // died after adding version 1
            }
            e.hook.crashAt(null);
            e.env.clock.advance(Duration.ofMinutes(11));
            RunReport r = e.run();
            assertEquals(1, r.summary().rotated(), r.toString());
            assertEquals(1L, e.state("db").current(), "the interrupted attempt's version is adopted");
            assertNoVersion(e, 2);
        }
    }

    @Test
    void writesToOneSecretArePacedWithinGooglesPerSecretRate() {
        try (Engine e = new Engine(Map.of("rotor.emulator.per-secret-write-limits", "true",
                "rotor.quota.secret-manager.per-resource.secret-writes-per-second", "2",
                "rotor.quota.secret-manager.per-resource.version-writes-per-second", "1"))) {
            String sa = e.account("app");
            e.declare("db", Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa,
                    "rotor.rotate-every", "P1D", "rotor.grace", "PT0S", "rotor.keep-enabled", "1"));
            for (int i = 0; i < 3; i++) {
                RunReport r = e.run();
                assertEquals(1, r.summary().rotated(), r.toString());
                e.env.clock.advance(Duration.ofDays(2));
            }
            assertEquals(0, e.env.emulator.quotas().rejected(), "no write met RESOURCE_EXHAUSTED");
        }
    }

    @Test
    void aCommitRefusedByQuotaIsRetriedAndLeavesNoUncommittedVersion() {
        try (Engine e = new Engine()) {
            e.declare("db", GENERATED);
            // the claim is UpdateSecret #1, the commit #2
            e.env.emulator.faults().failOccurrence("UpdateSecret", 2, Status.Code.RESOURCE_EXHAUSTED, Faults.When.BEFORE);
            RunReport r = e.run();
            assertEquals(1, r.summary().rotated(), r.toString());
            assertEquals(1L, e.state("db").current(), "version 1 is committed in the same run");
            assertEquals(Map.of("current", 1L), e.aliases("db"));
        }
    }
}
