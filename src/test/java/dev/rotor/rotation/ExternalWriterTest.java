package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.iam.admin.v1.ServiceAccountKey;
import dev.rotor.local.faults.ExternalWriter;
import dev.rotor.policy.PolicyParser;
import dev.rotor.policy.RotationState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Someone else writes the secret's annotations (Terraform's stale snapshot without an etag, {@code rotor.state}
 * deleted, unknown annotations added, the policy changed) before every step of every kind's rotation and after
 * the last. The steps come from a clean rotation's own step log, so a new step is covered when it is added.
 * Every scenario must converge to exactly one new version committed as current, the old one retired, the
 * invariants of DESIGN §3 held after every run, and every user-managed key of the account held by a version.
 * One emulated Rotor per kind serves all its scenarios (a fresh secret and account each), to keep this fast.
 */
class ExternalWriterTest {
    /** The point after the last step: the write lands once the run is over. */
    private static final String AFTER_RUN = "after the run";
    private static final Pattern KEY_ID = Pattern.compile("\"private_key_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Map<String, Engine> ENGINES = new HashMap<>();
    private static final AtomicInteger SCENARIO = new AtomicInteger();
    private static final Set<ExternalWriter.Kind> ANNOTATION_WRITERS = EnumSet.range(
            ExternalWriter.Kind.STALE_SNAPSHOT, ExternalWriter.Kind.POLICY_CHANGED);

    @TestFactory
    Stream<DynamicTest> everyExternalWriteAtEveryStepOfEveryKindConverges() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String kind : List.of("generated", "service-account-key", "access-token", "id-token",
                "generated+envelope")) {
            List<String> points = new ArrayList<>(cleanRotationSteps(kind));
            points.add(AFTER_RUN);
            for (String point : points) {
                for (ExternalWriter.Kind writer : ANNOTATION_WRITERS) {
                    tests.add(DynamicTest.dynamicTest(kind + ": " + writer + " before " + point,
                            () -> converges(kind, point, writer)));
                }
            }
        }
        System.out.println("external-writer scenarios, all kinds: " + tests.size());
        return tests.stream();
    }

    /**
     * Terraform without {@code ignore_changes = [version_aliases]} deletes every alias, at every step of a key's
     * rotation (the kind with the most aliases) and before a generated secret's commit and after its run: Rotor
     * puts back what it needs (the next write, or a write of its own at the next run when the secret is idle)
     * and deletes no key it should not. Sampled to keep CI time small.
     */
    @TestFactory
    Stream<DynamicTest> aliasesClearedByTerraformAreRestored() {
        List<DynamicTest> tests = new ArrayList<>();
        List<String> points = new ArrayList<>(cleanRotationSteps("service-account-key"));
        points.add(AFTER_RUN);
        points.forEach(p -> tests.add(DynamicTest.dynamicTest("service-account-key: aliases cleared before " + p,
                () -> converges("service-account-key", p, ExternalWriter.Kind.ALIASES_CLEARED))));
        for (String p : List.of(Step.COMMIT.name(), AFTER_RUN)) {
            tests.add(DynamicTest.dynamicTest("generated: aliases cleared before " + p,
                    () -> converges("generated", p, ExternalWriter.Kind.ALIASES_CLEARED)));
        }
        return tests.stream();
    }

    private static String outcome(RunReport report, String secret) {
        return report.secrets().stream().filter(r -> r.secret().equals(secret)).map(SecretResult::outcome)
                .findFirst().orElse("absent");
    }

    /** A stale write erases the lease from the annotation mid-rotation: a second run still keeps off. */
    @Test
    void aLeaseErasedByAStaleWriteStillKeepsASecondRunOff() {
        Engine e = engine("generated");
        String id = primed(e, "generated");
        String name = Engine.name(id);
        ExternalWriter external = new ExternalWriter(e.env.emulator.secretManager());
        external.refresh(name);
        List<RunReport> second = new ArrayList<>();
        AtomicInteger fired = new AtomicInteger();
        try {
            e.hook.also((step, ref) -> {
                if (step == Step.MINT && fired.getAndIncrement() == 0) {
                    external.write(ExternalWriter.Kind.STALE_SNAPSHOT, name);
                    second.add(e.run());
                }
            });
            RunReport first = e.run();
            e.hook.also((step, ref) -> { });
            // the engine is shared with other scenarios, whose secrets may be due too: judge this secret alone
            assertEquals(SecretResult.SKIPPED_LOCKED, outcome(second.getFirst(), id), "the second run keeps off: " + second);
            assertEquals(SecretResult.FAILED, outcome(first, id), "the first run's commit loses to the stale write: " + first);
            e.env.clock.advance(Duration.ofMinutes(11));
            e.run();
            assertEquals(2, e.versions(id).size(), "one new version, adopted: " + e.versions(id));
            assertEquals(Map.of("current", 2L, "previous", 1L), e.aliases(id));
        } finally {
            e.hook.also((step, ref) -> { });
            e.client.deleteSecret(name);
        }
    }

    @AfterAll
    static void closeEngines() {
        ENGINES.values().forEach(Engine::close);
        ENGINES.clear();
    }

    static Engine engine(String kind) {
        return ENGINES.computeIfAbsent(kind, k -> {
            Engine e = new Engine();
            e.env.emulator.kms().createKeyRing("projects/demo-project/locations/global", "rotor");
            e.env.emulator.kms().createCryptoKey("projects/demo-project/locations/global/keyRings/rotor", "secrets");
            return e;
        });
    }

    static Map<String, String> policy(String kind, String account) {
        Map<String, String> p = new HashMap<>(Map.of("rotor.kind", kind.replace("+envelope", ""),
                "rotor.keep-enabled", "1"));
        switch (kind) {
            case "service-account-key" -> p.putAll(Map.of("rotor.service-account", account,
                    "rotor.rotate-every", "P1D", "rotor.grace", "PT0S"));
            case "access-token" -> p.put("rotor.service-account", account);
            case "id-token" -> p.putAll(Map.of("rotor.service-account", account,
                    "rotor.audience", "https://backend.example"));
            case "generated+envelope" -> p.putAll(Map.of("rotor.rotate-every", "P1D", "rotor.grace", "PT0S",
                    "rotor.encryption", "envelope:" + EncryptionTest.KEY));
            default -> p.putAll(Map.of("rotor.rotate-every", "P1D", "rotor.grace", "PT0S"));
        }
        return p;
    }

    /** A fresh secret (and account) on the kind's engine, its first version committed, due again. */
    static String primed(Engine e, String kind) {
        return primed(e, kind, id -> Map.of());
    }

    /** As {@link #primed(Engine, String)}, with {@code extra} annotations made for the secret's id. */
    static String primed(Engine e, String kind, java.util.function.Function<String, Map<String, String>> extra) {
        int n = SCENARIO.incrementAndGet();
        String account = e.account("app" + n);
        String id = "s" + n;
        Map<String, String> annotations = policy(kind, account);
        annotations.putAll(extra.apply(id));
        e.declare(id, annotations);
        e.run();
        e.env.clock.advance(Duration.ofDays(2));
        return id;
    }

    static List<String> cleanRotationSteps(String kind) {
        Engine e = engine(kind);
        String id = primed(e, kind);
        List<String> steps = new ArrayList<>();
        try {
            // this secret's steps only: the engine is shared, and a secret another scenario left behind would
            // add its steps too
            e.hook.also((step, ref) -> {
                if (ref.secret().equals(id)) {
                    steps.add(step.name());
                }
            });
            e.run();
            return steps;
        } finally {
            e.hook.also((step, ref) -> { });
            e.client.deleteSecret(Engine.name(id));
        }
    }

    private static void converges(String kind, String point, ExternalWriter.Kind writer) {
        Engine e = engine(kind);
        String id = primed(e, kind);
        String name = Engine.name(id);
        ExternalWriter external = new ExternalWriter(e.env.emulator.secretManager());
        try {
            String v1 = e.access(id, "1");
            external.refresh(name); // terraform plan, before the rotation
            AtomicInteger fired = new AtomicInteger();
            e.hook.also((step, ref) -> {
                if (step.name().equals(point) && ref.secret().equals(id) && fired.getAndIncrement() == 0) {
                    external.write(writer, name);
                }
            });
            e.run();
            e.hook.also((step, ref) -> { });
            if (point.equals(AFTER_RUN)) {
                external.write(writer, name);
                fired.incrementAndGet();
            }
            assertTrue(fired.get() > 0, "the external write happened");
            if (writer == ExternalWriter.Kind.ALIASES_CLEARED) {
                e.run(); // an idle secret gets its aliases back at the next run; until then 'current' is gone
            }
            assertInvariants(e, id, v1);
            for (int i = 0; i < 4 && !converged(e, id); i++) {
                e.env.clock.advance(Duration.ofMinutes(11)); // past any lease and the changed grace
                e.run();
                assertInvariants(e, id, v1);
            }
            assertTrue(converged(e, id), "did not converge: state " + e.state(id) + ", aliases " + e.rawAliases(id)
                    + ", versions " + e.versions(id));
            List<SecretVersion> versions = e.versions(id);
            assertEquals(2, versions.size(), "exactly one new version, no duplicates: " + versions);
            assertEquals(Map.of("current", 2L, "previous", 1L), e.aliases(id));
            if (kind.equals("service-account-key")) {
                assertEveryKeyHeldByAVersion(e, id);
            }
            e.run(); // a restored state is due for retirement at once, whose write makes the record agree again
            Secret healed = e.client.getSecret(name);
            assertTrue(StateFence.find(healed.getVersionAliasesMap()).orElseThrow()
                    .matches(healed.getAnnotationsOrThrow(PolicyParser.STATE)), "rotor.state agrees with its fence");
        } finally {
            e.hook.also((step, ref) -> { });
            e.client.deleteSecret(name);
        }
    }

    /** Two keys, one per version, as the state records them; only the retired version's key is disabled. */
    static void assertEveryKeyHeldByAVersion(Engine e, String id) {
        RotationState s = e.state(id);
        String account = e.client.getSecret(Engine.name(id)).getAnnotationsMap().get("rotor.service-account");
        List<ServiceAccountKey> keys = e.userKeys(account);
        assertEquals(2, keys.size(), "one key per version, no orphan: " + keys);
        Matcher current = KEY_ID.matcher(e.access(id, "current"));
        assertTrue(current.find(), "the current version holds a key file");
        assertEquals(current.group(1), s.keyIds().get("2"), "the state records the current version's key");
        for (ServiceAccountKey k : keys) {
            String keyId = k.getName().substring(k.getName().lastIndexOf('/') + 1);
            assertTrue(s.keyIds().containsValue(keyId), "key " + keyId + " is held by a version: " + s.keyIds());
            assertEquals(keyId.equals(s.keyIds().get("1")), k.getDisabled(), "only version 1's key is disabled");
        }
    }

    static boolean converged(Engine e, String id) {
        RotationState s = e.state(id);
        return s.phase() == RotationState.Phase.IDLE && Long.valueOf(2).equals(s.current())
                && e.versions(id).get(1).getState() == SecretVersion.State.DISABLED;
    }

    /** The version consumers use is enabled and readable; version 1 stays until version 2 is committed. */
    static void assertInvariants(Engine e, String id, String v1) {
        Long current = e.aliases(id).get("current");
        assertTrue(current != null, "the current alias is there: " + e.rawAliases(id) + ", state " + e.state(id));
        assertTrue(e.access(id, "current").equals(current == 1 ? v1 : e.access(id, "2")),
                "the current alias reads version " + current); // no payload in the message
        RotationState s = e.state(id);
        assertTrue(s.current() != null && s.current() >= current, "current never moves backwards: " + s);
        if (current == 1) {
            assertEquals(SecretVersion.State.ENABLED, e.versions(id).getLast().getState(),
                    "version 1 must stay enabled until version 2 is committed");
        }
        assertTrue(e.versions(id).size() <= 2, "never a duplicate version: " + e.versions(id));
    }
}
