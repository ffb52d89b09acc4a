package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.SecretVersion;
import dev.rotor.local.faults.ExternalWriter;
import dev.rotor.local.faults.Faults;
import dev.rotor.policy.RotationState;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Harmful declaration changes made mid-rotation by someone else, without an etag (docs/design.md §1.1, "A policy
 * changed mid-rotation"), at sampled points of a rotation: after the claim, after the key is made, after the
 * version is published, after the commit. What Rotor does:
 * <ul>
 *   <li>a kind or account change while the secret holds service-account keys, and a declaration that no longer
 *       parses, are refused: the secret is misconfigured, nothing is minted, retired or deleted, and once the
 *       declaration is restored the started rotation finishes as if nothing happened;</li>
 *   <li>a kind or account change with no keys at stake (a generated secret becoming a token, a token's account)
 *       abandons the started rotation: nothing it made is adopted, a credential of the new declaration is minted
 *       at once, and what the old one made retires like any superseded version;</li>
 *   <li>a shortened retain simply applies from the next run on.</li>
 * </ul>
 * Every case: no lost version, no key deleted that a version still needs, {@code current} never backwards.
 * Sampled (not every step of every kind), to keep CI time small; {@link ExternalWriterTest} covers every step.
 */
class PolicyChangeWriterTest {
    private static final Map<String, Engine> ENGINES = new HashMap<>();
    /** The point after a run and before the next: the declaration changes while no run holds it. */
    private static final String BETWEEN_RUNS = "between runs";
    private static final String SERVICES = "projects/demo-project/locations/europe-west1/services/";

    /** How the declaration changes, whether Rotor refuses it until it is restored, and before which steps. */
    private record Change(String name, String kind, boolean refused, List<Step> points) {
    }

    @TestFactory
    Stream<DynamicTest> harmfulPolicyChangesMidRotationConverge() {
        // a key's steps cost the most, so each key change strikes where it matters most: after the key was made
        // and recorded (PUBLISH), after its version was published (COMMIT), after the commit (RETIRE)
        List<Change> changes = List.of(
                new Change("account changed", "service-account-key", true, List.of(Step.PUBLISH, Step.COMMIT)),
                new Change("kind changed", "service-account-key", true, List.of(Step.COMMIT)),
                new Change("declaration made invalid", "service-account-key", true, List.of(Step.PUBLISH)),
                new Change("retain shortened", "service-account-key", false, List.of(Step.RETIRE)),
                new Change("declaration made invalid", "generated", true, List.of(Step.COMMIT)),
                new Change("kind changed", "generated", false, List.of(Step.MINT, Step.COMMIT, Step.RETIRE)),
                new Change("account changed", "access-token", false, List.of(Step.COMMIT, Step.RETIRE)));
        List<DynamicTest> tests = new ArrayList<>();
        for (Change c : changes) {
            for (Step point : c.points()) {
                tests.add(DynamicTest.dynamicTest(c.kind() + ": " + c.name() + " before " + point,
                        () -> converges(c, point.name())));
            }
        }
        return tests.stream();
    }

    /**
     * {@code rotor.consumers} changed by someone else mid-rotation, at the points where a run holds a stale
     * declaration longest: before the roll, before retirement, and between runs. A consumer added is a Cloud Run
     * service reading version 1: version 1 (and its key) must stay usable until that service serves the current
     * version, and it must be rolled; between runs it is added while the secret is still ROLLING (the first
     * consumer's roll failed), as a consumer added to an idle secret finds version 1 retired already. A consumer
     * removed is one whose service was deleted, so its roll keeps failing: once it is no longer declared it must
     * not keep version 1 from retiring.
     */
    @TestFactory
    Stream<DynamicTest> consumersAddedOrRemovedMidRotationConverge() {
        List<DynamicTest> tests = new ArrayList<>();
        for (boolean added : List.of(true, false)) {
            for (String point : List.of(Step.ROLL.name(), Step.RETIRE.name(), BETWEEN_RUNS)) {
                tests.add(DynamicTest.dynamicTest("generated: consumer " + (added ? "added" : "removed")
                        + " before " + point, () -> consumersChange("generated", added, point)));
            }
            tests.add(DynamicTest.dynamicTest("service-account-key: consumer " + (added ? "added" : "removed")
                    + " before " + Step.RETIRE, () -> consumersChange("service-account-key", added, Step.RETIRE.name())));
        }
        return tests.stream();
    }

    private static void consumersChange(String kind, boolean added, String point) {
        Engine e = ENGINES.computeIfAbsent(kind, k -> new Engine());
        String[] services = new String[2];
        String id = ExternalWriterTest.primed(e, kind, secret -> {
            services[0] = SERVICES + secret + "-a";
            services[1] = SERVICES + secret + "-b";
            InUse.cloudRunConsumer(e, services[0], secret);
            InUse.cloudRunConsumer(e, services[1], secret);
            return Map.of("rotor.consumers", added ? "run:" + services[0] : "run:" + services[0] + ",run:" + services[1]);
        });
        String name = Engine.name(id);
        ExternalWriter external = new ExternalWriter(e.env.emulator.secretManager());
        Map<String, String> changed = Map.of("rotor.consumers", "run:" + services[0] + (added ? ",run:" + services[1] : ""));
        List<String> declared = added ? List.of(services[0], services[1]) : List.of(services[0]);
        try {
            String v1 = e.access(id, "1");
            if (!added) { // the service is gone, so its roll fails until it is no longer declared
                var cloudRun = e.env.emulator.cloudRun();
                cloudRun.operation(cloudRun.delete(services[1], "").getName()); // done once polled
            }
            AtomicInteger fired = new AtomicInteger();
            e.hook.also((step, ref) -> {
                if (step.name().equals(point) && ref.secret().equals(id) && fired.compareAndSet(0, 1)) {
                    external.change(name, changed);
                }
            });
            boolean rolling = added && point.equals(BETWEEN_RUNS);
            if (rolling) { // added between runs while the secret is still ROLLING: A's roll fails in the first
                e.env.emulator.faults().fail("UpdateService", Status.Code.UNAVAILABLE, Faults.When.BEFORE, 1000);
            }
            e.run();
            e.hook.also((step, ref) -> { });
            e.env.emulator.faults().clear();
            if (point.equals(BETWEEN_RUNS)) {
                assertEquals(RotationState.Phase.ROLLING, e.state(id).phase(), "a consumer's roll failed");
                external.change(name, changed);
                fired.incrementAndGet();
            }
            assertEquals(1, fired.get(), "the change happened");
            servedVersionsUsable(e, id, added ? List.of(services[0], services[1]) : List.of(services[0]));
            for (int i = 0; i < 4 && !(ExternalWriterTest.converged(e, id) && allServe(e, declared, "2")); i++) {
                e.env.clock.advance(Duration.ofMinutes(11));
                e.run();
                ExternalWriterTest.assertInvariants(e, id, v1);
                servedVersionsUsable(e, id, declared);
            }
            assertTrue(allServe(e, declared, "2"), "every declared consumer rolled to version 2: " + e.state(id));
            assertTrue(ExternalWriterTest.converged(e, id), "version 1 retired once no declared consumer serves it: "
                    + e.state(id) + ", " + e.versions(id));
            assertEquals(Map.of("current", 2L, "previous", 1L), e.aliases(id));
            if (kind.equals("service-account-key")) {
                ExternalWriterTest.assertEveryKeyHeldByAVersion(e, id);
            }
        } finally {
            e.hook.also((step, ref) -> { });
            e.client.deleteSecret(name);
        }
    }

    /** What each consumer serves is enabled and works (a key version's key too): never retired under it. */
    private static void servedVersionsUsable(Engine e, String id, List<String> services) {
        for (String service : services) {
            InUse.assertUsable(e, id, InUse.pinnedVersion(e, service), "while " + service + " serves it");
        }
    }

    private static boolean allServe(Engine e, List<String> services, String version) {
        return services.stream().allMatch(s -> InUse.pinnedVersion(e, s).equals(version));
    }

    @AfterAll
    static void closeEngines() {
        ENGINES.values().forEach(Engine::close);
        ENGINES.clear();
    }

    private static Map<String, String> change(Change c, Engine e, String id) {
        String other = e.account("other-" + id);
        return switch (c.name()) {
            case "account changed" -> Map.of("rotor.service-account", other);
            case "kind changed" -> c.kind().equals("generated")
                    ? Map.of("rotor.kind", "access-token", "rotor.service-account", other)
                    : Map.of("rotor.kind", "generated", "rotor.service-account", "");
            case "declaration made invalid" -> Map.of("rotor.rotate-every", "soon");
            case "retain shortened" -> Map.of("rotor.retain", "P1D");
            default -> throw new IllegalArgumentException(c.name());
        };
    }

    private static void converges(Change c, String point) {
        Engine e = ENGINES.computeIfAbsent(c.kind(), k -> new Engine());
        String id = ExternalWriterTest.primed(e, c.kind());
        String name = Engine.name(id);
        ExternalWriter external = new ExternalWriter(e.env.emulator.secretManager());
        Map<String, String> original = e.client.getSecret(name).getAnnotationsMap();
        Map<String, String> changed = change(c, e, id);
        try {
            String v1 = e.access(id, "1");
            AtomicInteger fired = new AtomicInteger();
            e.hook.also((step, ref) -> {
                if (step.name().equals(point) && ref.secret().equals(id) && fired.compareAndSet(0, 1)) {
                    external.change(name, changed);
                }
            });
            e.run();
            e.hook.also((step, ref) -> { });
            assertEquals(1, fired.get(), "the change happened");
            if (c.refused()) {
                refusedUntilRestored(e, id, v1);
                Map<String, String> restore = new HashMap<>();
                changed.keySet().forEach(k -> restore.put(k, original.getOrDefault(k, "")));
                external.change(name, restore);
                convergedAsBefore(e, c.kind(), id, v1);
            } else if (c.name().equals("retain shortened")) {
                convergedAsBefore(e, c.kind(), id, v1);
            } else {
                convergedUnderTheNewDeclaration(e, id, v1);
            }
        } finally {
            e.hook.also((step, ref) -> { });
            e.client.deleteSecret(name);
        }
    }

    /** Misconfigured on every run: no version added or retired, the current one still readable. */
    private static void refusedUntilRestored(Engine e, String id, String v1) {
        List<SecretVersion> before = e.versions(id);
        for (int i = 0; i < 2; i++) {
            e.env.clock.advance(Duration.ofMinutes(11));
            RunReport report = e.run();
            String outcome = report.secrets().stream().filter(r -> r.secret().equals(id))
                    .map(SecretResult::outcome).findFirst().orElse("absent");
            assertEquals(SecretResult.MISCONFIGURED, outcome, "refused: " + report);
            assertEquals(before, e.versions(id), "nothing changes while refused");
            ExternalWriterTest.assertInvariants(e, id, v1);
        }
    }

    private static void convergedAsBefore(Engine e, String kind, String id, String v1) {
        for (int i = 0; i < 4 && !ExternalWriterTest.converged(e, id); i++) {
            e.env.clock.advance(Duration.ofMinutes(11));
            e.run();
            ExternalWriterTest.assertInvariants(e, id, v1);
        }
        assertTrue(ExternalWriterTest.converged(e, id), "did not converge: " + e.state(id) + ", " + e.versions(id));
        assertEquals(2, e.versions(id).size(), "exactly one new version: " + e.versions(id));
        assertEquals(Map.of("current", 2L, "previous", 1L), e.aliases(id));
        if (kind.equals("service-account-key")) {
            ExternalWriterTest.assertEveryKeyHeldByAVersion(e, id);
        }
    }

    /** The newest version is current and holds the new declaration's credential; every older one is retired. */
    private static void convergedUnderTheNewDeclaration(Engine e, String id, String v1) {
        for (int i = 0; i < 4 && !settledOnNewest(e, id); i++) {
            e.env.clock.advance(Duration.ofMinutes(11));
            e.run();
        }
        assertTrue(settledOnNewest(e, id), "did not converge: " + e.state(id) + ", " + e.versions(id));
        RotationState s = e.state(id);
        assertTrue(s.current() >= 2, "current never moves backwards: " + s);
        assertTrue(!e.access(id, "current").equals(v1), "the current version is not the old credential");
        e.versions(id).stream().filter(v -> !v.getName().endsWith("/" + s.current()))
                .forEach(v -> assertEquals(SecretVersion.State.DISABLED, v.getState(), "retired: " + v.getName()));
    }

    private static boolean settledOnNewest(Engine e, String id) {
        RotationState s = e.state(id);
        List<SecretVersion> versions = e.versions(id); // newest first
        return s.phase() == RotationState.Phase.IDLE && s.current() != null && versions.getFirst().getName()
                .endsWith("/" + s.current()) && versions.stream().skip(1)
                .allMatch(v -> v.getState() == SecretVersion.State.DISABLED);
    }
}
