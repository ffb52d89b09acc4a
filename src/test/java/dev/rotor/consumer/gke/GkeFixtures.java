package dev.rotor.consumer.gke;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** Deployments and budgets for tests outside this package. */
public final class GkeFixtures {
    private GkeFixtures() {
    }

    /** A Deployment in {@code default} with a readiness probe and pods labelled app=name. */
    public static Deployment deployment(String name, int replicas) {
        return GkeRestarterTest.deployment(name, replicas, true);
    }

    public static PodDisruptionBudget budget(String name, int maxUnavailable) {
        return new PodDisruptionBudgetBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withMaxUnavailable(new IntOrString(maxUnavailable)).withNewSelector()
                .addToMatchLabels("app", name).endSelector().endSpec().build();
    }
}
