package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.iam.admin.v1.ServiceAccountKey;
import dev.rotor.local.faults.ExternalWriter;
import dev.rotor.policy.RotationState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A secret's very first rotation has no version for the fence alias to sit on, so Terraform's stale snapshot
 * (read before Rotor ever wrote the secret) erases the claim, the lease and the pending key record. At every
 * step of the first rotation of a key and a generated secret, the stale write lands alone, or lands and a
 * second run comes straight after it (the lease it erased no longer keeps that run off). Each must converge to
 * exactly one enabled version committed as current and, for keys, exactly one user-managed key: no double mint,
 * no orphan key (docs/design.md §1.1, "The first rotation").
 */
class FirstRotationWriterTest {
    private static final Pattern KEY_ID = Pattern.compile("\"private_key_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Map<String, Engine> ENGINES = new HashMap<>();
    private static final AtomicInteger SCENARIO = new AtomicInteger();
    /** Before the key is recorded, after it is recorded and before the publish, after the publish. */
    private static final List<Step> FIRST_ROTATION = List.of(Step.MINT, Step.VERIFY, Step.COMMIT);

    @TestFactory
    Stream<DynamicTest> aStaleWriteDuringTheFirstRotationNeverMintsTwice() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String kind : List.of("service-account-key", "generated")) {
            for (Step step : FIRST_ROTATION) {
                for (boolean secondRun : new boolean[] {false, true}) {
                    tests.add(DynamicTest.dynamicTest(kind + ": stale write" + (secondRun ? " and a second run" : "")
                            + " before " + step, () -> converges(kind, step, secondRun)));
                }
            }
        }
        return tests.stream();
    }

    @AfterAll
    static void closeEngines() {
        ENGINES.values().forEach(Engine::close);
        ENGINES.clear();
    }

    private static void converges(String kind, Step step, boolean secondRun) {
        Engine e = ENGINES.computeIfAbsent(kind, k -> new Engine());
        int n = SCENARIO.incrementAndGet();
        String account = e.account("first" + n);
        String id = "first" + n;
        e.declare(id, kind.equals("generated")
                ? Map.of("rotor.kind", kind, "rotor.rotate-every", "P1D")
                : Map.of("rotor.kind", kind, "rotor.service-account", account, "rotor.rotate-every", "P1D"));
        String name = Engine.name(id);
        ExternalWriter external = new ExternalWriter(e.env.emulator.secretManager());
        external.refresh(name); // terraform plan right after the apply that created the secret
        AtomicInteger fired = new AtomicInteger();
        try {
            e.hook.also((s, ref) -> {
                if (s == step && ref.secret().equals(id) && fired.compareAndSet(0, 1)) {
                    external.write(ExternalWriter.Kind.STALE_SNAPSHOT, name);
                    if (secondRun) {
                        e.run();
                    }
                }
            });
            e.run();
            e.hook.also((s, ref) -> { });
            assertEquals(1, fired.get(), "the external write happened");
            for (int i = 0; i < 3 && e.state(id).current() == null; i++) {
                e.env.clock.advance(Duration.ofMinutes(11)); // past any lease
                e.run();
            }
            RotationState s = e.state(id);
            assertEquals(RotationState.Phase.IDLE, s.phase(), "settled: " + s);
            List<SecretVersion> enabled = e.versions(id).stream()
                    .filter(v -> v.getState() == SecretVersion.State.ENABLED).toList();
            assertEquals(1, enabled.size(), "exactly one credential minted and kept: " + e.versions(id));
            long only = Long.parseLong(enabled.getFirst().getName().substring(enabled.getFirst().getName()
                    .lastIndexOf('/') + 1));
            assertEquals(Long.valueOf(only), s.current(), "the one enabled version is current: " + s);
            assertEquals(only, e.aliases(id).get("current"));
            if (kind.equals("service-account-key")) {
                List<ServiceAccountKey> keys = e.userKeys(account);
                assertEquals(1, keys.size(), "one key, no orphan: " + keys);
                Matcher held = KEY_ID.matcher(e.access(id, "current"));
                assertTrue(held.find(), "the current version holds a key file");
                assertTrue(keys.getFirst().getName().endsWith("/" + held.group(1)), "the key is current's");
                assertEquals(held.group(1), s.keyIds().get(Long.toString(only)), "the state records it: " + s);
            }
        } finally {
            e.hook.also((s, ref) -> { });
            e.client.deleteSecret(name);
        }
    }

    private static void addByHand(Engine e, String id, String payload) {
        e.client.addSecretVersion(Engine.name(id), com.google.cloud.secretmanager.v1.SecretPayload.newBuilder()
                .setData(com.google.protobuf.ByteString.copyFromUtf8(payload)).build());
    }

    private static SecretResult only(RunReport report) {
        assertEquals(1, report.secrets().size(), report.toString());
        return report.secrets().getFirst();
    }

    @Test
    void aVersionFoundBeforeTheFirstCommitThatDoesNotVerifyIsLeftAndANewOneMinted() {
        try (Engine e = new Engine()) {
            e.declare("db", Map.of("rotor.kind", "generated", "rotor.length", "32"));
            addByHand(e, "db", "short"); // no claim recorded, as after a stale write erased it
            SecretResult r = only(e.run());
            assertEquals(SecretResult.ROTATED, r.outcome(), r.toString());
            assertEquals(2L, e.state("db").current(), "a new credential, not the one that does not verify");
            assertEquals(32, e.access("db", "current").length());
            assertEquals(SecretVersion.State.ENABLED, e.versions("db").get(1).getState(), "version 1 is left as it is");
        }
    }

    @Test
    void theNewestEnabledVersionFoundBeforeTheFirstCommitIsTheOneAdopted() {
        try (Engine e = new Engine()) {
            e.declare("db", Map.of("rotor.kind", "generated", "rotor.length", "32"));
            addByHand(e, "db", "short");
            addByHand(e, "db", "x".repeat(32));
            SecretResult r = only(e.run());
            assertEquals(SecretResult.ROTATED, r.outcome(), r.toString());
            assertEquals(2L, e.state("db").current());
            assertEquals(2, e.versions("db").size(), "adopted, nothing minted");
        }
    }

    @Test
    void aVersionGivenUpBetweenTheStartAndThePublishDoesNotWin() {
        try (Engine e = new Engine()) {
            e.declare("db", Map.of("rotor.kind", "generated", "rotor.length", "32"));
            e.hook.at(Step.PUBLISH, 1, () -> {
                addByHand(e, "db", "x".repeat(32));
                e.client.disableSecretVersion(Engine.name("db") + "/versions/1");
            });
            SecretResult r = only(e.run());
            assertEquals(SecretResult.ROTATED, r.outcome(), r.toString());
            assertEquals(2L, e.state("db").current(), "only an enabled version published first wins");
        }
    }
}
