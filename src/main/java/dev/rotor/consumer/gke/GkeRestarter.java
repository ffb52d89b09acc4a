package dev.rotor.consumer.gke;

import dev.rotor.consumer.RestartProperties;
import dev.rotor.consumer.Restarter;
import dev.rotor.consumer.Stamp;
import dev.rotor.credential.Sleeper;
import dev.rotor.error.RemoteException;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Rolls a GKE Deployment the way {@code kubectl rollout restart} does: a JSON merge patch of the pod template's
 * {@code kubectl.kubernetes.io/restartedAt} annotation (gcp-api-facts §8.1), plus Rotor's stamp of what was
 * rolled; then waits as {@code kubectl rollout status} judges it ({@link RolloutStatus}), bounded by
 * {@code rotor.restart.gke-timeout}, logging progress. Before restarting it reads what would make the restart
 * an outage ({@link RolloutRisks}) and refuses a certain one unless the secret's
 * {@code rotor.consumers-allow-outage} names the target. A template already stamped for this version is not
 * patched again: only the rollout is checked.
 */
@Singleton
public final class GkeRestarter implements Restarter {
    static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    private static final Logger LOG = LoggerFactory.getLogger(GkeRestarter.class);
    private final GkeClusters clusters;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RestartProperties properties;

    public GkeRestarter(GkeClusters clusters, Clock clock, Sleeper sleeper, RestartProperties properties) {
        this.clusters = clusters;
        this.clock = clock;
        this.sleeper = sleeper;
        this.properties = properties;
    }

    @Override
    public boolean handles(String target) {
        return target.startsWith("gke:");
    }

    @Override
    public Rolled roll(Roll roll) {
        GkeTarget t = GkeTarget.parse(roll.target());
        KubernetesClient k = clusters.client(t.cluster());
        RollableScalableResource<Deployment> resource = k.apps().deployments().inNamespace(t.namespace())
                .withName(t.deployment());
        Deployment d = call("get", t, resource::get);
        if (d == null) {
            throw new RemoteException.NotFound("deployment " + t + " was not found", null);
        }
        Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
        String stamp = annotations == null ? null : annotations.get(Stamp.ANNOTATION);
        if (Stamp.carries(stamp, roll.ref(), roll.version())) {
            await(resource, t);
            return new Rolled(false, List.of());
        }
        RolloutRisks risks = RolloutRisks.of(d, call("list disruption budgets of", t, () -> k.policy().v1()
                .podDisruptionBudget().inNamespace(t.namespace()).list().getItems()));
        if (!risks.certain().isEmpty() && !roll.outageAllowed()) {
            throw new IllegalStateException("refused to restart " + t + ": " + String.join("; ", risks.certain())
                    + ". Nothing was changed and version " + roll.version() + "'s predecessor stays enabled; fix the "
                    + "Deployment, or list the target in the secret's rotor.consumers-allow-outage to restart anyway");
        }
        List<String> warnings = new ArrayList<>(risks.warnings());
        risks.certain().forEach(c -> warnings.add("restarted although " + c + " (rotor.consumers-allow-outage)"));
        String patch = k.getKubernetesSerialization().asJson(Map.of("spec", Map.of("template", Map.of("metadata",
                Map.of("annotations", Map.of(RESTARTED_AT, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
                        Stamp.ANNOTATION, Stamp.merge(stamp, roll.ref(), roll.version())))))));
        call("patch", t, () -> resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch));
        LOG.info("restarted {} for {} version {}; waiting for the rollout", t, roll.ref(), roll.version());
        await(resource, t);
        return new Rolled(true, warnings);
    }

    private void await(RollableScalableResource<Deployment> resource, GkeTarget t) {
        Instant deadline = clock.instant().plus(properties.gkeTimeout());
        while (true) {
            Deployment d = call("get", t, resource::get);
            if (d == null) {
                throw new RemoteException.NotFound("deployment " + t + " was deleted during its rollout", null);
            }
            RolloutStatus s = RolloutStatus.of(d);
            if (s.done()) {
                return;
            }
            if (s.stalled()) {
                throw new IllegalStateException(t + ": " + s.message() + "; its new pods are not ready, the old "
                        + "version stays enabled; fix the Deployment, and the next run checks it again");
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new IllegalStateException(t + " did not finish rolling out within " + properties.gkeTimeout()
                        + " (" + s.message() + "); the restart stays in place and the next run checks it again");
            }
            LOG.info("rollout of {}: {}", t, s.message());
            sleeper.sleep(properties.pollInterval());
        }
    }

    /** Maps the API server's HTTP status to Rotor's error values (Kubernetes API conventions). */
    private static <T> T call(String what, GkeTarget t, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            String message = what + " deployment " + t + " failed: " + e.getCode() + " " + e.getMessage();
            throw switch (e.getCode()) {
                case 401, 403 -> new RemoteException.PermissionDenied(message, e);
                case 404 -> new RemoteException.NotFound(message, e);
                case 409 -> new RemoteException.Conflict(message, e);
                case 0, 429, 500, 502, 503, 504 -> new RemoteException.Retryable(message, e);
                default -> new RemoteException.Fatal(message, e);
            };
        }
    }
}
