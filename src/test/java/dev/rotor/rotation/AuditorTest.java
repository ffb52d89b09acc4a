package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.FieldMask;
import dev.rotor.credential.ServiceAccountKeys;
import dev.rotor.local.faults.Faults;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daily audit ({@link Auditor}) on one emulated Rotor, one finding at a time: a stalled attempt once its
 * lease is over, an alias moved by hand, a state that does not parse, keys no version holds and retired
 * versions' keys that still work (disabled on repair, the others never touched), and repair that never touches
 * a secret in a rotation and says when it failed. Each test has secrets of its own and reads only their rows.
 */
class AuditorTest {
    private static final Map<String, String> DAILY = Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D",
            "rotor.grace", "PT0S", "rotor.keep-enabled", "1");
    private static Engine engine;
    private static SecretStore store;
    private static Auditor auditor;

    @BeforeAll
    static void start() {
        engine = new Engine();
        store = engine.env.bean(SecretStore.class);
        auditor = engine.env.bean(Auditor.class);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static AuditReport.SecretAudit row(AuditReport report, String secret) {
        return report.secrets().stream().filter(s -> s.secret().equals(secret)).findFirst().orElseThrow();
    }

    private static List<String> types(AuditReport.SecretAudit row) {
        return row.findings().stream().map(AuditReport.Finding::type).toList();
    }

    private static SecretRef ref(String id) {
        return new SecretRef(Engine.PROJECT, id);
    }

    /** Rewrites the recorded state, as another writer of Rotor's own format would. */
    private static void restate(String id, UnaryOperator<RotationState> change) {
        ManagedSecret s = store.get(ref(id));
        StateCodec.save(store, s, change.apply(StateCodec.read(s)));
    }

    /** Daily secrets rotated twice whose version 1 is still enabled: a crash came before their retirement. */
    private static void excess(String... ids) {
        for (String id : ids) {
            engine.declare(id, DAILY);
        }
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.runCrashingAt(Step.RETIRE); // the retirement step never ran
    }

    private static SecretVersion.State stateOf(String id, long version) {
        return engine.client.getSecretVersion(Engine.name(id) + "/versions/" + version).getState();
    }

    @Test
    void anAttemptThatStoppedIsStalledOnlyOnceItsLeaseIsOver() {
        engine.declare("stalled", DAILY);
        engine.runCrashingAt(Step.PUBLISH); // the attempt dies holding its lease
        assertEquals(List.of(), row(auditor.audit("a1", false), "stalled").findings(), "its lease still runs");
        engine.env.clock.advance(Duration.ofHours(1));
        AuditReport.SecretAudit row = row(auditor.audit("a2", false), "stalled");
        assertEquals(List.of(new AuditReport.Finding(AuditReport.Finding.STALLED_ROTATION,
                "an attempt stopped in phase ROTATING; the next run resumes it")), row.findings());
        assertEquals("generated", row.kind());
    }

    @Test
    void aCurrentAliasMovedByHandIsDrift() {
        engine.declare("drift", DAILY);
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run();
        Map<String, Long> aliases = new HashMap<>(engine.rawAliases("drift"));
        aliases.put("current", 1L);
        engine.client.updateSecret(Secret.newBuilder().setName(Engine.name("drift")).putAllVersionAliases(aliases)
                .build(), FieldMask.newBuilder().addPaths("version_aliases").build());
        assertEquals(List.of(new AuditReport.Finding(AuditReport.Finding.ALIAS_DRIFT,
                "alias current is 1, the state says 2")), row(auditor.audit("a3", false), "drift").findings());
    }

    @Test
    void aStateThatDoesNotParseIsReportedAsUnreadable() {
        engine.declare("unreadable", Map.of("rotor.kind", "generated", "rotor.state", "{not json"));
        AuditReport.SecretAudit row = row(auditor.audit("a4", false), "unreadable");
        assertEquals(List.of(AuditReport.Finding.UNREADABLE_STATE), types(row));
        assertTrue(row.findings().getFirst().detail().contains("rotor.state does not parse"), row.toString());
        assertEquals("generated", row.kind());
    }

    @Test
    void keysNoVersionHoldsAreReportedAndAWorkingKeyOfARetiredVersionIsDisabledOnRepair() {
        String sa = engine.account("audited");
        ServiceAccountKeys keys = engine.env.bean(ServiceAccountKeys.class);
        engine.declare("keys", Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa,
                "rotor.rotate-every", "P1D", "rotor.grace", "PT0S", "rotor.keep-enabled", "1"));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run();
        RotationState state = engine.state("keys");
        String retiredKey = state.keyIds().get("1");
        String currentKey = state.keyIds().get("2");
        assertTrue(keys.get(sa, retiredKey).orElseThrow().disabled(), "retirement disabled it");
        keys.enable(sa, retiredKey); // someone turns it back on
        String foreign = keys.create(sa).id();
        engine.env.clock.advance(Duration.ofDays(3));

        AuditReport.SecretAudit found = row(auditor.audit("a5", false), "keys");
        assertEquals(List.of(
                new AuditReport.Finding(AuditReport.Finding.UNMANAGED_KEY, "key " + foreign + " of " + sa
                        + " is held by no version; 3 days old"),
                new AuditReport.Finding(AuditReport.Finding.ORPHAN_KEY, "key " + retiredKey
                        + " of retired version 1 still works")).stream().sorted(this::byType).toList(),
                found.findings().stream().sorted(this::byType).toList());
        assertFalse(keys.get(sa, retiredKey).orElseThrow().disabled(), "reported only, without repair");

        AuditReport.SecretAudit repaired = row(auditor.audit("a6", true), "keys");
        assertEquals(List.of("disabled key " + retiredKey), repaired.repaired());
        assertTrue(keys.get(sa, retiredKey).orElseThrow().disabled());
        assertFalse(keys.get(sa, foreign).orElseThrow().disabled(), "a key Rotor did not make is never touched");
        assertFalse(keys.get(sa, currentKey).orElseThrow().disabled(), "the current version's key works");
        assertEquals(List.of(AuditReport.Finding.UNMANAGED_KEY), types(row(auditor.audit("a7", true), "keys")));
    }

    private int byType(AuditReport.Finding a, AuditReport.Finding b) {
        return a.type().compareTo(b.type());
    }

    @Test
    void repairLeavesASecretWhoseRotationIsLeasedOrUnfinished() {
        excess("leased", "rolling");
        restate("leased", s -> s.withLease("another-run", engine.env.clock.instant().plus(Duration.ofMinutes(10))));
        restate("rolling", s -> s.settled(RotationState.Phase.ROLLING, "failed: a consumer did not roll",
                engine.env.clock.instant(), false));
        AuditReport report = auditor.audit("a8", true);
        assertEquals(List.of(AuditReport.Finding.EXCESS_ENABLED_VERSIONS), types(row(report, "leased")));
        assertEquals(List.of(AuditReport.Finding.STALLED_ROTATION, AuditReport.Finding.EXCESS_ENABLED_VERSIONS),
                types(row(report, "rolling")));
        assertEquals(List.of(), row(report, "leased").repaired());
        assertEquals(List.of(), row(report, "rolling").repaired());
        assertEquals(SecretVersion.State.ENABLED, stateOf("leased", 1));
        assertEquals(SecretVersion.State.ENABLED, stateOf("rolling", 1));
    }

    @Test
    void aRepairThatFailsSaysSoAndRepairsNothing() {
        excess("refused");
        engine.env.emulator.faults().fail("DisableSecretVersion", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1);
        AuditReport.SecretAudit row = row(auditor.audit("a9", true), "refused");
        assertEquals(List.of(AuditReport.Finding.EXCESS_ENABLED_VERSIONS, AuditReport.Finding.EXCESS_ENABLED_VERSIONS),
                types(row));
        assertEquals("versions [1] should be retired and [] destroyed under the policy",
                row.findings().get(0).detail());
        assertTrue(row.findings().get(1).detail().startsWith("repair failed: "), row.toString());
        assertEquals(List.of(), row.repaired());
        assertEquals(SecretVersion.State.ENABLED, stateOf("refused", 1));
        AuditReport retried = auditor.audit("a10", true);
        assertEquals(List.of("retired version 1"), row(retried, "refused").repaired());
        assertEquals(SecretVersion.State.DISABLED, stateOf("refused", 1));
    }

    @Test
    void aRepairThatDestroysADisabledVersionPastRetainSaysSo() {
        engine.declare("retained", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D",
                "rotor.grace", "PT0S", "rotor.keep-enabled", "1", "rotor.retain", "P1D"));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run(); // rotates to 2 and disables 1; its destruction falls due a day later
        assertEquals(SecretVersion.State.DISABLED, stateOf("retained", 1));
        engine.env.clock.advance(Duration.ofDays(2));
        AuditReport.SecretAudit row = row(auditor.audit("a12", true), "retained");
        assertEquals(List.of(new AuditReport.Finding(AuditReport.Finding.EXCESS_ENABLED_VERSIONS,
                "versions [] should be retired and [1] destroyed under the policy")), row.findings());
        assertEquals(List.of("destroyed version 1"), row.repaired());
        assertEquals(SecretVersion.State.DESTROYED, stateOf("retained", 1));
    }

    @Test
    void theSummaryCountsEverySecretFindingAndRepair() {
        excess("counted");
        AuditReport report = auditor.audit("a11", true);
        assertEquals("a11", report.auditId());
        assertTrue(report.repair());
        assertEquals(report.secrets().size(), report.summary().secrets());
        assertEquals(report.secrets().stream().mapToInt(s -> s.findings().size()).sum(), report.summary().findings());
        assertEquals(report.secrets().stream().mapToInt(s -> s.repaired().size()).sum(), report.summary().repaired());
        assertTrue(report.summary().repaired() >= 1, report.toString());
        assertTrue(report.summary().findings() >= 1, report.toString());
    }
}
