package dev.rotor.consumer.gke;

import dev.rotor.consumer.Restarter;
import dev.rotor.consumer.Stamp;
import dev.rotor.credential.Sleeper;
import dev.rotor.error.RemoteException;
import dev.rotor.local.EmulatedContext;
import dev.rotor.local.gke.KubeState;
import dev.rotor.secret.SecretRef;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GKE restarter through GKE's real cluster-manager client and fabric8 against the emulated cluster: its
 * API server over TLS, trusted only through the CA GetCluster returns, with the Deployment controller
 * modelled on the emulator's clock. Waiting moves that clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GkeRestarterTest {
    static final String CLUSTER = "projects/demo-project/locations/europe-west1/clusters/batch";
    private static final SecretRef DB = new SecretRef("demo-project", "db");
    private final AtomicReference<EmulatedContext> holder = new AtomicReference<>();
    private final EmulatedContext env = new EmulatedContext(Map.of(), Map.of(Sleeper.class,
            (Sleeper) d -> holder.get().clock.advance(d)));
    private final KubeState kube = env.emulator.kube();
    private final GkeRestarter restarter = env.bean(GkeRestarter.class);
    private final AtomicInteger ids = new AtomicInteger();

    GkeRestarterTest() {
        holder.set(env);
        env.emulator.gke().create(CLUSTER);
    }

    @AfterAll
    void close() {
        env.close();
    }

    /** A Deployment with {@code replicas}, a readiness probe, and pods labelled app=name. */
    static Deployment deployment(String name, int replicas, boolean probe) {
        var b = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(replicas).withProgressDeadlineSeconds(120).withNewSelector()
                .addToMatchLabels("app", name).endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", name).endMetadata().withNewSpec().addNewContainer().withName("app")
                .withImage("europe-docker.pkg.dev/demo-project/app/batch:1");
        var container = probe ? b.withNewReadinessProbe().withNewHttpGet().withPath("/ready")
                .withPort(new IntOrString(8080)).endHttpGet().endReadinessProbe() : b;
        return container.endContainer().endSpec().endTemplate().endSpec().build();
    }

    private String seed(Deployment d, Integer budgetMaxUnavailable) {
        String name = d.getMetadata().getName() + "-" + ids.incrementAndGet();
        d.getMetadata().setName(name);
        d.getSpec().getSelector().getMatchLabels().put("app", name);
        d.getSpec().getTemplate().getMetadata().getLabels().put("app", name);
        kube.put(CLUSTER, d);
        if (budgetMaxUnavailable != null) {
            kube.putBudget(CLUSTER, new PodDisruptionBudgetBuilder().withNewMetadata().withName(name)
                    .withNamespace("default").endMetadata().withNewSpec().withMaxUnavailable(
                            new IntOrString(budgetMaxUnavailable)).withNewSelector().addToMatchLabels("app", name)
                    .endSelector().endSpec().build());
        }
        return name;
    }

    private Restarter.Rolled roll(String name, long version, boolean outageAllowed) {
        return restarter.roll(new Restarter.Roll("gke:" + CLUSTER + "/namespaces/default/deployments/" + name, DB,
                version, outageAllowed));
    }

    private Map<String, String> template(String name) {
        return kube.get(CLUSTER, "default", name).getSpec().getTemplate().getMetadata().getAnnotations();
    }

    @Test
    void restartsLikeKubectlAndWaitsUntilEveryNewPodIsAvailable() {
        String name = seed(deployment("api", 3, true), 1);
        kube.readyDelay(CLUSTER, "default", name, Duration.ofSeconds(30));
        Instant before = env.clock.instant();
        Restarter.Rolled rolled = roll(name, 4, false);
        assertTrue(rolled.updated());
        assertEquals(java.util.List.of(), rolled.warnings());
        assertEquals(before.toString(), template(name).get(GkeRestarter.RESTARTED_AT));
        assertEquals("demo-project/db@4", template(name).get(Stamp.ANNOTATION));
        assertTrue(Duration.between(before, env.clock.instant()).toSeconds() >= 90,
                "three pods, one ready every 30 s: the roll returns only once all are");
        assertTrue(RolloutStatus.of(kube.get(CLUSTER, "default", name)).done());
    }

    @Test
    void aRollRetriedThreeTimesRestartsOnce() {
        String name = seed(deployment("api", 2, true), 1);
        int before = kube.restarts();
        assertTrue(roll(name, 4, false).updated());
        assertFalse(roll(name, 4, false).updated());
        assertFalse(roll(name, 4, false).updated());
        assertEquals(before + 1, kube.restarts());
    }

    @Test
    void podsThatNeverBecomeReadyFailOnTheProgressDeadline() {
        String name = seed(deployment("api", 2, true), 1);
        kube.stallAfter(CLUSTER, "default", name, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> roll(name, 4, false));
        assertTrue(e.getMessage().contains("exceeded its progress deadline"), e.getMessage());
    }

    @Test
    void aStalledRolloutFailsOnTheProgressDeadline() {
        String name = seed(deployment("api", 3, true), 1);
        kube.readyDelay(CLUSTER, "default", name, Duration.ofSeconds(10));
        kube.stallAfter(CLUSTER, "default", name, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> roll(name, 4, false));
        assertTrue(e.getMessage().contains("exceeded its progress deadline"), e.getMessage());
    }

    @Test
    void aSlowRolloutTimesOutAndTheRetryDoesNotRestartAgain() {
        Deployment d = deployment("api", 2, true);
        d.getSpec().setProgressDeadlineSeconds(3600);
        String name = seed(d, 1);
        kube.readyDelay(CLUSTER, "default", name, Duration.ofMinutes(8));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> roll(name, 4, false));
        assertTrue(e.getMessage().contains("did not finish rolling out within PT10M"), e.getMessage());
        int restarts = kube.restarts();
        assertFalse(roll(name, 4, false).updated(), "the retry waits for the same rollout");
        assertEquals(restarts, kube.restarts());
    }

    @Test
    void permissionDeniedIsReportedAndNothingRestarts() {
        String name = seed(deployment("api", 2, true), 1);
        int before = kube.restarts();
        kube.fail("patch", 403);
        try {
            RemoteException.PermissionDenied e = assertThrows(RemoteException.PermissionDenied.class,
                    () -> roll(name, 4, false));
            assertTrue(e.getMessage().contains("cannot patch resource \"deployments\""), e.getMessage());
        } finally {
            kube.fail("patch", 0);
        }
        assertEquals(before, kube.restarts());
    }

    @Test
    void aFailingApiServerIsRetryable() {
        String name = seed(deployment("api", 2, true), 1);
        kube.fail("patch", 503);
        try {
            assertThrows(RemoteException.Retryable.class, () -> roll(name, 4, false));
        } finally {
            kube.fail("patch", 0);
        }
    }

    @Test
    void aBudgetThatAllowsNoDisruptionIsRefusedUnlessTheDeclarationAllowsIt() {
        String name = seed(deployment("api", 2, true), 0);
        int before = kube.restarts();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> roll(name, 4, false));
        assertTrue(e.getMessage().contains("PodDisruptionBudget " + name + " allows no disruption"), e.getMessage());
        assertEquals(before, kube.restarts());
        Restarter.Rolled forced = roll(name, 4, true);
        assertTrue(forced.updated());
        assertTrue(forced.warnings().getFirst().contains("rotor.consumers-allow-outage"), forced.warnings().toString());
    }

    @Test
    void oneReplicaThatMayGoUnavailableIsRefused() {
        Deployment d = deployment("api", 1, true);
        d.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                .withType("RollingUpdate").withNewRollingUpdate().withMaxUnavailable(new IntOrString(1))
                .withMaxSurge(new IntOrString(0)).endRollingUpdate().build());
        String name = seed(d, null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> roll(name, 4, false));
        assertTrue(e.getMessage().contains("1 replica and maxUnavailable 1"), e.getMessage());
    }

    @Test
    void oneReplicaWithTheDefaultStrategyRollsWithWarnings() {
        String name = seed(deployment("api", 1, false), null);
        Restarter.Rolled rolled = roll(name, 4, false);
        assertTrue(rolled.updated());
        assertTrue(rolled.warnings().contains("no PodDisruptionBudget selects its pods"), rolled.warnings().toString());
        assertTrue(rolled.warnings().stream().anyMatch(w -> w.contains("no readiness probe")), rolled.warnings().toString());
    }

    @Test
    void aMissingDeploymentIsNotFound() {
        assertThrows(RemoteException.NotFound.class, () -> roll("absent", 4, false));
    }
}
