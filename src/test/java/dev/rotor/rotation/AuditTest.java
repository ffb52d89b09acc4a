package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.ByteString;
import dev.rotor.local.faults.Faults;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditTest {
    private static final Map<String, String> DAILY = Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D",
            "rotor.grace", "PT0S", "rotor.keep-enabled", "1");
    private final Engine engine = new Engine();

    @AfterEach
    void close() {
        engine.close();
    }

    private List<String> types(AuditReport report, String secret) {
        return report.secrets().stream().filter(s -> s.secret().equals(secret)).findFirst().orElseThrow()
                .findings().stream().map(AuditReport.Finding::type).toList();
    }

    @Test
    void reportsDriftWithoutChangingAnythingUnlessAskedToRepair() {
        engine.declare("db", DAILY);
        engine.declare("bad", Map.of("rotor.kind", "nope"));
        engine.declare("cmek", Map.of("rotor.kind", "generated", "rotor.encryption", "cmek"));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.hook.crashAt(Step.RETIRE);
        try {
            engine.run();
        } catch (CrashHook.Crash expected) {
            // the retirement step never ran
        }
        engine.hook.crashAt(null);
        // someone adds a version by hand, outside Rotor
        engine.client.addSecretVersion(Engine.name("db"), SecretPayload.newBuilder()
                .setData(ByteString.copyFromUtf8("manual")).build());

        AuditReport report = engine.env.bean(Auditor.class).audit("a1", false);
        assertEquals(List.of(AuditReport.Finding.UNCOMMITTED_VERSION, AuditReport.Finding.EXCESS_ENABLED_VERSIONS),
                types(report, "db"));
        assertEquals(List.of(AuditReport.Finding.MISCONFIGURED), types(report, "bad"));
        assertEquals(List.of(AuditReport.Finding.ENCRYPTION_MISMATCH), types(report, "cmek"));
        assertEquals(0, report.summary().repaired());
        assertEquals(SecretVersion.State.ENABLED, engine.versions("db").get(2).getState());

        AuditReport repaired = engine.env.bean(Auditor.class).audit("a2", true);
        assertEquals(1, repaired.summary().repaired(), repaired.toString());
        assertEquals(SecretVersion.State.DISABLED, engine.versions("db").get(2).getState());
        // the uncommitted newest version is reported, never disabled: it is what latest reads
        assertEquals(SecretVersion.State.ENABLED, engine.versions("db").get(0).getState());
    }

    @Test
    void aFailedRetirementIsRetriedByTheNextRun() {
        engine.declare("db", DAILY);
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.env.emulator.faults().fail("DisableSecretVersion", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1);
        RunReport failed = engine.run();
        assertEquals(1, failed.summary().failed());
        assertTrue(failed.secrets().getFirst().error().startsWith("version 2 is current, but retiring versions [1]"),
                failed.secrets().getFirst().error());
        RunReport retried = engine.run();
        assertEquals(1, retried.summary().retired(), retried.toString());
        assertEquals(SecretVersion.State.DISABLED, engine.versions("db").get(1).getState());
    }

    @Test
    void steadyStateRotationWithRetirementCostsFiveWrites() {
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"), 86_400);
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.env.emulator.faults().resetCounts();
        engine.run(); // rotates to 3 and retires 1
        List<String> writes = engine.env.emulator.faults().log().stream()
                .filter(m -> !m.startsWith("List") && !m.startsWith("Get") && !m.startsWith("Access")).toList();
        // claim, add, commit (retirement recorded as due now), retire, then the next retirement time: a crash
        // before the retirement leaves it due, so the next run finishes it
        assertEquals(List.of("UpdateSecret", "AddSecretVersion", "UpdateSecret", "DestroySecretVersion", "UpdateSecret"),
                writes);
        engine.env.clock.advance(Duration.ofHours(1));
        engine.env.emulator.faults().resetCounts();
        engine.run();
        assertEquals(List.of("ListSecrets", "ListSecretVersions", "DestroySecretVersion", "UpdateSecret"),
                engine.env.emulator.faults().log(), "version 2's hour of grace is over: it retires");
        engine.env.emulator.faults().resetCounts();
        engine.run();
        assertEquals(List.of("ListSecrets"), engine.env.emulator.faults().log(), "nothing left pending");
    }
}
