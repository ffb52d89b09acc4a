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
        assertEquals(engine.env.clock.instant().toString(), s.getTemplate().getAnnotationsMap().get("rotor.dev/rotated-at"));
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

    @Test
    void aTargetNoRestarterHandlesFailsTheRollAndKeepsTheOldVersion() {
        engine.declare("db", Map.of("rotor.kind", "generated", "rotor.consumers",
                "gke:projects/demo-project/locations/europe-west1/clusters/c/namespaces/default/deployments/api"));
        RunReport r = engine.run();
        assertEquals(1, r.summary().failed());
        assertTrue(r.secrets().getFirst().consumers().getFirst().error().contains("no restarter for gke targets"));
    }
}
