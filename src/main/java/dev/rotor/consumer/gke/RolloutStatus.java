package dev.rotor.consumer.gke;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

/**
 * Whether a Deployment's rollout is complete, judged exactly as {@code kubectl rollout status} does
 * (kubernetes/kubectl {@code pkg/polymorphichelpers/rollout_status.go}, {@code DeploymentStatusViewer}): the
 * controller has observed the latest generation, no Progressing condition says ProgressDeadlineExceeded, all
 * desired replicas are updated, no old replica is left, and every updated replica is available.
 *
 * @param done    the rollout is complete
 * @param stalled the controller gave up (progress deadline exceeded); waiting longer will not help
 * @param message kubectl's wording of where the rollout is
 */
record RolloutStatus(boolean done, boolean stalled, String message) {
    static RolloutStatus of(Deployment d) {
        String name = d.getMetadata().getName();
        DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        long observed = s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
        if (generation > observed) {
            return new RolloutStatus(false, false, "waiting for deployment spec update to be observed");
        }
        for (DeploymentCondition c : s.getConditions()) {
            if ("Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
                return new RolloutStatus(false, true, "deployment \"" + name + "\" exceeded its progress deadline");
            }
        }
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int updated = n(s.getUpdatedReplicas());
        int replicas = n(s.getReplicas());
        int available = n(s.getAvailableReplicas());
        if (updated < desired) {
            return new RolloutStatus(false, false, updated + " out of " + desired + " new replicas have been updated");
        }
        if (replicas > updated) {
            return new RolloutStatus(false, false, (replicas - updated) + " old replicas are pending termination");
        }
        if (available < updated) {
            return new RolloutStatus(false, false, available + " of " + updated + " updated replicas are available");
        }
        return new RolloutStatus(true, false, "deployment \"" + name + "\" successfully rolled out");
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }
}
