package dev.rotor.consumer.gke;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What can make restarting a Deployment an outage, read before restarting. {@code certain} are the cases a
 * restart takes the service down or breaks what its owner declared (refused unless the declaration allows an
 * outage); {@code warnings} are risks reported with the roll.
 * <ul>
 *   <li>Strategy {@code Recreate}, or a rolling update whose {@code maxUnavailable} covers every replica (one
 *   replica with {@code maxUnavailable: 1}): the old pods stop before new ones are ready. Percentages resolve
 *   as the controller does: {@code maxSurge} rounds up, {@code maxUnavailable} down, defaults 25% each, and
 *   both zero means {@code maxUnavailable} 1 (kubernetes {@code pkg/controller/deployment/util},
 *   {@code ResolveFenceposts}).</li>
 *   <li>A PodDisruptionBudget selecting the pods that allows no disruption ({@code maxUnavailable: 0}, or
 *   {@code minAvailable} of every replica). A rollout does not go through the eviction API, so Kubernetes
 *   would not stop it: Rotor honours the budget itself.</li>
 *   <li>Warnings: no budget selects the pods; a container without a readiness probe (its pod counts as
 *   available as soon as it starts, so "rolled out" proves less).</li>
 * </ul>
 */
record RolloutRisks(List<String> certain, List<String> warnings) {
    static RolloutRisks of(Deployment d, List<PodDisruptionBudget> budgets) {
        List<String> certain = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        DeploymentStrategy strategy = d.getSpec().getStrategy();
        if (strategy != null && "Recreate".equals(strategy.getType())) {
            certain.add("strategy Recreate stops every pod before new ones start");
        } else if (replicas > 0) {
            var rolling = strategy == null ? null : strategy.getRollingUpdate();
            int surge = resolve(rolling == null ? null : rolling.getMaxSurge(), replicas, true);
            int unavailable = resolve(rolling == null ? null : rolling.getMaxUnavailable(), replicas, false);
            if (surge == 0 && unavailable == 0) {
                unavailable = 1;
            }
            if (unavailable >= replicas) {
                certain.add(replicas + " replica" + (replicas == 1 ? "" : "s") + " and maxUnavailable " + unavailable
                        + ": every pod may stop before its replacement is ready");
            }
        }
        Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
        List<PodDisruptionBudget> selecting = budgets.stream()
                .filter(b -> b.getSpec() != null && selects(b.getSpec().getSelector(), labels)).toList();
        if (selecting.isEmpty()) {
            warnings.add("no PodDisruptionBudget selects its pods");
        }
        for (PodDisruptionBudget b : selecting) {
            IntOrString maxUnavailable = b.getSpec().getMaxUnavailable();
            IntOrString minAvailable = b.getSpec().getMinAvailable();
            boolean none = maxUnavailable != null && resolve(maxUnavailable, replicas, true) == 0
                    || minAvailable != null && resolve(minAvailable, replicas, true) >= replicas;
            if (none) {
                certain.add("PodDisruptionBudget " + b.getMetadata().getName() + " allows no disruption");
            }
        }
        for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
            if (c.getReadinessProbe() == null) {
                warnings.add("container " + c.getName() + " has no readiness probe: a new pod counts as available "
                        + "as soon as it starts");
            }
        }
        return new RolloutRisks(List.copyOf(certain), List.copyOf(warnings));
    }

    private static int resolve(IntOrString value, int replicas, boolean roundUp) {
        if (value == null) {
            value = new IntOrString("25%");
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String s = value.getStrVal().trim();
        double percent = Double.parseDouble(s.endsWith("%") ? s.substring(0, s.length() - 1) : s);
        double exact = percent * replicas / 100.0;
        return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
    }

    /** Kubernetes label-selector semantics; an empty selector selects every pod (policy/v1 PDB). */
    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> have = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null && !selector.getMatchLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(have.get(e.getKey())))) {
            return false;
        }
        for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
            String v = have.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> v != null && r.getValues().contains(v);
                case "NotIn" -> v == null || !r.getValues().contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
