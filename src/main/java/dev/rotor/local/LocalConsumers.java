package dev.rotor.local;

import com.google.cloud.compute.v1.InstanceGroupManager;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * The local mode's GKE Deployment and managed instance group, consumers of the demo database password next to
 * the Cloud Run service: a two-replica Deployment with a readiness probe and a disruption budget (so its
 * restart is safe and warns of nothing), and a two-VM zonal group. Both roll at once in the emulator.
 */
final class LocalConsumers {
    static final String CLUSTER = "projects/" + DemoSeed.PROJECT + "/locations/europe-west1/clusters/demo-cluster";
    static final String GKE_TARGET = "gke:" + CLUSTER + "/namespaces/default/deployments/demo-worker";
    static final String MIG = "projects/" + DemoSeed.PROJECT + "/zones/europe-west1-b/instanceGroupManagers/demo-batch";
    static final String MIG_TARGET = "mig:" + MIG;

    private LocalConsumers() {
    }

    static void seed(Emulator emulator) {
        emulator.gke().create(CLUSTER);
        emulator.kube().put(CLUSTER, new DeploymentBuilder().withNewMetadata().withName("demo-worker")
                .withNamespace("default").endMetadata().withNewSpec().withReplicas(2).withNewSelector()
                .addToMatchLabels("app", "demo-worker").endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", "demo-worker").endMetadata().withNewSpec().addNewContainer().withName("worker")
                .withImage("europe-west1-docker.pkg.dev/" + DemoSeed.PROJECT + "/demo/worker:1")
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString(8080))
                .endHttpGet().endReadinessProbe().endContainer().endSpec().endTemplate().endSpec().build());
        emulator.kube().putBudget(CLUSTER, new PodDisruptionBudgetBuilder().withNewMetadata().withName("demo-worker")
                .withNamespace("default").endMetadata().withNewSpec().withMaxUnavailable(new IntOrString(1))
                .withNewSelector().addToMatchLabels("app", "demo-worker").endSelector().endSpec().build());
        emulator.migs().put(MIG, InstanceGroupManager.newBuilder().setTargetSize(2)
                .setInstanceTemplate("projects/" + DemoSeed.PROJECT + "/global/instanceTemplates/demo-batch-1").build());
    }
}
