package dev.rotor.local.gke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The emulated clusters' Deployments and PodDisruptionBudgets, with a model of the Deployment controller on
 * the emulator's clock: a pod-template change raises {@code metadata.generation} and starts a rolling update
 * (max surge 1, max unavailable 0) whose new ReplicaSet's pods become ready one every {@code readyDelay}.
 * A Deployment can be made to stall after some ready pods; once {@code spec.progressDeadlineSeconds}
 * (default 600) pass without progress, its Progressing condition turns False with reason
 * ProgressDeadlineExceeded, as the controller does (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#failed-deployment).
 * Verbs can be made to fail with an HTTP status, as RBAC or an admission webhook would.
 */
public final class KubeState {
    private static final class Entry {
        Deployment deployment;
        Instant rolloutStarted;
        Duration readyDelay = Duration.ZERO;
        Integer stallAfter;
    }

    private final Clock clock;
    private final KubernetesSerialization json = new KubernetesSerialization();
    private final Map<String, Entry> deployments = new LinkedHashMap<>();
    private final Map<String, List<PodDisruptionBudget>> budgets = new LinkedHashMap<>();
    private final Map<String, Integer> failures = new LinkedHashMap<>();
    private int patches;

    public KubeState(Clock clock) {
        this.clock = clock;
    }

    /** A failing API call, as the server would answer it. */
    public static final class ApiError extends RuntimeException {
        final int code;
        final String reason;

        ApiError(int code, String reason, String message) {
            super(message);
            this.code = code;
            this.reason = reason;
        }
    }

    private static String key(String cluster, String namespace, String name) {
        return cluster + "|" + namespace + "|" + name;
    }

    /** Seeds a Deployment (fully rolled out) in {@code cluster} ({@code projects/P/locations/L/clusters/C}). */
    public synchronized void put(String cluster, Deployment d) {
        Entry e = new Entry();
        d.getMetadata().setGeneration(1L);
        d.getMetadata().setResourceVersion("1");
        e.deployment = d;
        deployments.put(key(cluster, d.getMetadata().getNamespace(), d.getMetadata().getName()), e);
    }

    public synchronized void putBudget(String cluster, PodDisruptionBudget b) {
        budgets.computeIfAbsent(cluster + "|" + b.getMetadata().getNamespace(), k -> new ArrayList<>()).add(b);
    }

    /** New pods of this Deployment become ready one every {@code delay}. */
    public synchronized void readyDelay(String cluster, String namespace, String name, Duration delay) {
        entry(cluster, namespace, name).readyDelay = delay;
    }

    /** The rollout stops after {@code readyPods} new pods are ready (0: the new pods never become ready). */
    public synchronized void stallAfter(String cluster, String namespace, String name, Integer readyPods) {
        entry(cluster, namespace, name).stallAfter = readyPods;
    }

    /** Calls of {@code verb} (get, patch, list) answer {@code code}; 0 restores them. */
    public synchronized void fail(String verb, int code) {
        if (code == 0) {
            failures.remove(verb);
        } else {
            failures.put(verb, code);
        }
    }

    /** How many patches changed a pod template, for tests that count restarts. */
    public synchronized int restarts() {
        return patches;
    }

    public synchronized Deployment get(String cluster, String namespace, String name) {
        check("get", "deployments", name, namespace);
        Entry e = entry(cluster, namespace, name);
        e.deployment.setStatus(status(e));
        return e.deployment;
    }

    public synchronized List<Deployment> list(String cluster, String namespace) {
        check("list", "deployments", "", namespace);
        List<Deployment> all = new ArrayList<>();
        deployments.forEach((k, e) -> {
            if (k.startsWith(cluster + "|" + namespace + "|")) {
                e.deployment.setStatus(status(e));
                all.add(e.deployment);
            }
        });
        return all;
    }

    public synchronized List<PodDisruptionBudget> budgets(String cluster, String namespace) {
        check("list", "poddisruptionbudgets", "", namespace);
        return List.copyOf(budgets.getOrDefault(cluster + "|" + namespace, List.of()));
    }

    /** A JSON merge patch (RFC 7386); a changed pod template starts a rollout. */
    public synchronized Deployment patch(String cluster, String namespace, String name, String body) {
        check("patch", "deployments", name, namespace);
        Entry e = entry(cluster, namespace, name);
        JsonNode before = json.convertValue(e.deployment, JsonNode.class);
        JsonNode after = merge(before.deepCopy(), json.unmarshal(body, JsonNode.class));
        Deployment patched = json.convertValue(after, Deployment.class);
        patched.getMetadata().setGeneration(e.deployment.getMetadata().getGeneration());
        if (!Objects.equals(patched.getSpec(), e.deployment.getSpec())) {
            patched.getMetadata().setGeneration(e.deployment.getMetadata().getGeneration() + 1);
            if (!Objects.equals(patched.getSpec().getTemplate(), e.deployment.getSpec().getTemplate())) {
                e.rolloutStarted = clock.instant();
                patches++;
            }
        }
        patched.getMetadata().setResourceVersion(Long.toString(
                Long.parseLong(e.deployment.getMetadata().getResourceVersion()) + 1));
        e.deployment = patched;
        e.deployment.setStatus(status(e));
        return e.deployment;
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject() || !target.isObject()) {
            return patch;
        }
        ObjectNode t = (ObjectNode) target;
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isNull()) {
                t.remove(f.getKey());
            } else {
                t.set(f.getKey(), merge(t.has(f.getKey()) ? t.get(f.getKey()) : t.objectNode(), f.getValue()));
            }
        }
        return t;
    }

    private DeploymentStatus status(Entry e) {
        Deployment d = e.deployment;
        int r = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        long generation = d.getMetadata().getGeneration();
        DeploymentStatusBuilder s = new DeploymentStatusBuilder().withObservedGeneration(generation);
        if (e.rolloutStarted != null) {
            Duration since = Duration.between(e.rolloutStarted, clock.instant());
            int ready = e.readyDelay.isZero() ? r : (int) Math.min(r, since.toMillis() / e.readyDelay.toMillis());
            if (e.stallAfter != null) {
                ready = Math.min(ready, e.stallAfter);
            }
            if (ready < r) {
                Instant lastProgress = e.rolloutStarted.plus(e.readyDelay.multipliedBy(ready));
                int deadline = d.getSpec().getProgressDeadlineSeconds() == null ? 600
                        : d.getSpec().getProgressDeadlineSeconds();
                boolean exceeded = Duration.between(lastProgress, clock.instant()).getSeconds() > deadline;
                return s.withReplicas(r + 1).withUpdatedReplicas(ready + 1).withReadyReplicas(r)
                        .withAvailableReplicas(r).withUnavailableReplicas(1).addToConditions(new DeploymentConditionBuilder()
                                .withType("Progressing").withStatus(exceeded ? "False" : "True")
                                .withReason(exceeded ? "ProgressDeadlineExceeded" : "ReplicaSetUpdated").build())
                        .build();
            }
            e.rolloutStarted = null;
        }
        return s.withReplicas(r).withUpdatedReplicas(r).withReadyReplicas(r).withAvailableReplicas(r)
                .addToConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus("True")
                        .withReason("NewReplicaSetAvailable").build()).build();
    }

    private Entry entry(String cluster, String namespace, String name) {
        Entry e = deployments.get(key(cluster, namespace, name));
        if (e == null) {
            throw new ApiError(404, "NotFound", "deployments.apps \"" + name + "\" not found");
        }
        return e;
    }

    private void check(String verb, String resource, String name, String namespace) {
        Integer code = failures.get(verb);
        if (code == null) {
            return;
        }
        if (code == 403) {
            throw new ApiError(403, "Forbidden", resource + (name.isEmpty() ? "" : " \"" + name + "\"")
                    + " is forbidden: User \"rotor\" cannot " + verb + " resource \"" + resource
                    + "\" in the namespace \"" + namespace + "\"");
        }
        throw new ApiError(code, code == 422 ? "Invalid" : "InternalError", verb + " " + resource
                + " failed in the emulated API server (injected " + code + ")");
    }
}
