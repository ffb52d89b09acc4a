package dev.rotor.rotation;

import com.google.iam.admin.v1.ServiceAccountKey;
import dev.rotor.local.faults.ExternalWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process dies after it created a service-account key and recorded it, before the key's version was added
 * (before PUBLISH), and then Terraform writes back a snapshot read before that record (docs/design.md §1.1).
 * In a later rotation the record survives in the key's pending alias, so the next run deletes the key. In the
 * first rotation no alias can hold it (there is no version to point at): the key is held by nothing Rotor
 * knows, exactly like a key someone else made on the account, so Rotor never deletes it, at any time; the
 * daily audit reports it, with its age, for a person to delete.
 */
class CrashAndStaleWriteTest {
    private static Engine engine;

    @BeforeAll
    static void start() {
        engine = new Engine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void aKeyLeftBeforeALaterRotationsAddIsDeletedByTheNextRun() {
        String id = ExternalWriterTest.primed(engine, "service-account-key");
        String account = account(id);
        crashBeforePublishThenStaleWrite(id);
        assertEquals(2, engine.userKeys(account).size(), "version 1's key and the crashed attempt's");

        engine.env.clock.advance(Duration.ofMinutes(11)); // past the dead attempt's lease
        engine.run();
        assertTrue(ExternalWriterTest.converged(engine, id), "converged: " + engine.state(id));
        ExternalWriterTest.assertEveryKeyHeldByAVersion(engine, id);
        assertEquals(List.of(), findings(id), "nothing left for the audit");
    }

    @Test
    void aKeyLeftBeforeTheFirstAddIsReportedByTheAuditAndNeverDeleted() {
        String id = "first-crash";
        String account = engine.account("first-crash");
        engine.declare(id, Map.of("rotor.kind", "service-account-key", "rotor.service-account", account,
                "rotor.rotate-every", "P1D"));
        crashBeforePublishThenStaleWrite(id);
        String orphan = keyIds(account).iterator().next();

        engine.env.clock.advance(Duration.ofMinutes(11));
        engine.run();
        assertEquals(1L, engine.state(id).current(), "the first rotation finished with a key of its own");
        String current = engine.state(id).keyIds().get("1");
        assertEquals(Set.of(orphan, current), keyIds(account), "the crashed attempt's key is still there");

        AuditReport.Finding finding = findings(id).getFirst();
        assertEquals(AuditReport.Finding.UNMANAGED_KEY, finding.type());
        assertTrue(finding.detail().contains(orphan), finding.detail());
        engine.env.bean(Auditor.class).audit("repair", true);
        engine.env.clock.advance(Duration.ofDays(30)); // retirement, retention and another rotation pass
        engine.run();
        assertTrue(keyIds(account).contains(orphan), "Rotor never deletes a key it has no record of");
    }

    private static void crashBeforePublishThenStaleWrite(String id) {
        String name = Engine.name(id);
        ExternalWriter external = new ExternalWriter(engine.env.emulator.secretManager());
        external.refresh(name); // terraform plan, before the rotation
        engine.hook.crashAt(Step.PUBLISH); // the key exists and is recorded; its version is not added
        try {
            assertThrows(CrashHook.Crash.class, engine::run);
        } finally {
            engine.hook.crashAt(null);
        }
        external.write(ExternalWriter.Kind.STALE_SNAPSHOT, name); // terraform apply: the record is reverted
    }

    private static String account(String id) {
        return engine.client.getSecret(Engine.name(id)).getAnnotationsMap().get("rotor.service-account");
    }

    private static Set<String> keyIds(String account) {
        return engine.userKeys(account).stream().map(ServiceAccountKey::getName)
                .map(n -> n.substring(n.lastIndexOf('/') + 1)).collect(Collectors.toSet());
    }

    private static List<AuditReport.Finding> findings(String id) {
        return engine.env.bean(Auditor.class).audit("audit-" + id, false).secrets().stream()
                .filter(s -> s.secret().equals(id)).flatMap(s -> s.findings().stream()).toList();
    }
}
