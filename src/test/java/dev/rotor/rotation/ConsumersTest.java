package dev.rotor.rotation;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.EnvVarSource;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.SecretKeySelector;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.secretmanager.v1.SecretVersion;
import dev.rotor.policy.RotationState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rolling Cloud Run consumers (DESIGN §5) through the real client and the emulator's long-running operations. */
class ConsumersTest {
    static final String PARENT = "projects/demo-project/locations/europe-west1";
    private static final String SERVICE = PARENT + "/services/api";
    private final Engine engine = new Engine();
    private final ServicesClient run = engine.env.bean(ServicesClient.class);

    @AfterEach
    void close() {
        engine.close();
    }

    private void service(String version, boolean pinTraffic) {
        service(engine, "api", version, pinTraffic);
    }

    /** A Cloud Run service whose env var DB_PASSWORD reads secret {@code db} at {@code version}. */
    static void service(Engine engine, String id, String version, boolean pinTraffic) {
        Service.Builder s = Service.newBuilder().setTemplate(RevisionTemplate.newBuilder().addContainers(
                Container.newBuilder().setImage("europe-docker.pkg.dev/demo-project/app/api:1").addEnv(EnvVar.newBuilder()
                        .setName("DB_PASSWORD").setValueSource(EnvVarSource.newBuilder().setSecretKeyRef(
                                SecretKeySelector.newBuilder().setSecret("db").setVersion(version))))));
        if (pinTraffic) {
            s.addTraffic(TrafficTarget.newBuilder().setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
                    .setRevision(id + "-00001").setPercent(100));
        }
        engine.env.emulator.cloudRun().create(PARENT, id, s.build());
    }

    private Map<String, String> policy() {
        return Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.keep-enabled", "1",
                "rotor.grace", "PT0S", "rotor.consumers", "run:" + SERVICE);
    }

    private String pinnedVersion() {
        return run.getService(SERVICE).getTemplate().getContainers(0).getEnv(0).getValueSource().getSecretKeyRef().getVersion();
    }

    @Test
    void aPinnedServiceMovesToTheNewVersionBeforeTheOldOneRetires() {
        service("1", false);
        engine.declare("db", policy());
        engine.run();
        assertEquals("1", pinnedVersion());
        engine.env.clock.advance(Duration.ofDays(2));
        RunReport r = engine.run();
        assertEquals(1, r.summary().rotated(), r.toString());
        assertEquals("rolled", r.secrets().getFirst().consumers().getFirst().outcome());
        assertEquals("2", pinnedVersion());
        Service s = run.getService(SERVICE);
        assertTrue(s.getLatestReadyRevision().endsWith("api-00003"), s.getLatestReadyRevision());
        assertEquals(SecretVersion.State.DISABLED, engine.versions("db").get(1).getState());
        assertEquals(RotationState.Phase.IDLE, engine.state("db").phase());
    }

    @Test
    void aServiceReadingLatestGetsANewRevisionByAnnotation() {
        service("latest", false);
        engine.declare("db", policy());
        engine.run();
        Service s = run.getService(SERVICE);
        assertEquals("demo-project/db@1", s.getTemplate().getAnnotationsMap().get("rotor.dev/rolled"));
        assertEquals("latest", pinnedVersion());
        assertTrue(s.getLatestReadyRevision().endsWith("api-00002"));
    }

    @Test
    void aConsumerThatCannotRollNeverStopsRotationAndHoldsOnlyTheVersionItServes() {
        service("1", true);
        engine.declare("db", policy());
        RunReport first = engine.run();
        assertEquals(1, first.summary().failed(), first.toString());
        String error = first.secrets().getFirst().consumers().getFirst().error();
        assertTrue(error.contains("pinned to revision api-00001"), error);
        engine.env.clock.advance(Duration.ofDays(2));
        RunReport second = engine.run();
        assertEquals(1, second.summary().failed());
        assertEquals(2L, second.secrets().getFirst().toVersion(), "a due rotation mints although the roll is pending");
        assertEquals(2L, engine.aliases("db").get("current"));
        engine.env.clock.advance(Duration.ofDays(2));
        RunReport third = engine.run();
        assertEquals(3L, third.secrets().getFirst().toVersion(), third.toString());
        RotationState s = engine.state("db");
        assertEquals(RotationState.Phase.ROLLING, s.phase(), "the roll is still retried");
        assertEquals(Map.of("run:" + SERVICE, 1L), s.rolled(), "the service still serves version 1");
        assertEquals(SecretVersion.State.ENABLED, engine.versions("db").get(2).getState(), "version 1 is held");
        assertEquals(SecretVersion.State.DISABLED, engine.versions("db").get(1).getState(),
                "version 2, which no consumer serves, retires as usual");
        assertTrue(third.secrets().getFirst().error().contains("versions [1]"), third.secrets().getFirst().error());
    }

    /**
     * The lifecycle every consumer kind shares: a roll that fails keeps the version the consumer still uses
     * enabled, the next run retries the roll (without a second restart), and only then is it retired.
     */
    private void versionStaysEnabledUntilTheConsumerRolled(String target, Runnable stall, Runnable unstall,
                                                           java.util.function.IntSupplier restarts) {
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.keep-enabled", "1",
                "rotor.grace", "PT0S", "rotor.consumers", target));
        RunReport first = engine.run();
        assertEquals(1, first.summary().rotated(), first.toString());
        engine.env.clock.advance(Duration.ofDays(2));
        stall.run();
        RunReport stuck = engine.run();
        assertEquals(1, stuck.summary().failed(), stuck.toString());
        assertEquals(2L, engine.state("db").current());
        assertEquals(SecretVersion.State.ENABLED, engine.versions("db").get(1).getState(),
                "version 1 is what the consumer still runs");
        int restartsWhileStuck = restarts.getAsInt();
        unstall.run();
        RunReport rolled = engine.run();
        assertEquals(1, rolled.summary().rotated(), rolled.toString());
        assertEquals(restartsWhileStuck, restarts.getAsInt(), "the retry awaits the restart already made");
        assertEquals(SecretVersion.State.DISABLED, engine.versions("db").get(1).getState());
        assertEquals(RotationState.Phase.IDLE, engine.state("db").phase());
    }

    @Test
    void aGkeConsumersVersionStaysEnabledUntilItRolled() {
        String cluster = "projects/demo-project/locations/europe-west1/clusters/c";
        engine.env.emulator.gke().create(cluster);
        engine.env.emulator.kube().put(cluster, dev.rotor.consumer.gke.GkeFixtures.deployment("api", 2));
        engine.env.emulator.kube().putBudget(cluster, dev.rotor.consumer.gke.GkeFixtures.budget("api", 1));
        versionStaysEnabledUntilTheConsumerRolled("gke:" + cluster + "/namespaces/default/deployments/api",
                () -> engine.env.emulator.kube().stallAfter(cluster, "default", "api", 0),
                () -> engine.env.emulator.kube().stallAfter(cluster, "default", "api", null),
                engine.env.emulator.kube()::restarts);
    }

    @Test
    void aMigConsumersVersionStaysEnabledUntilItRolled() {
        String mig = "projects/demo-project/zones/europe-west1-b/instanceGroupManagers/workers";
        engine.env.emulator.migs().put(mig, com.google.cloud.compute.v1.InstanceGroupManager.newBuilder()
                .setInstanceTemplate("projects/demo-project/global/instanceTemplates/t").setTargetSize(2).build());
        versionStaysEnabledUntilTheConsumerRolled("mig:" + mig,
                () -> engine.env.emulator.migs().stallAfter(mig, 0),
                () -> engine.env.emulator.migs().stallAfter(mig, null),
                engine.env.emulator.migs()::replacements);
    }
}
