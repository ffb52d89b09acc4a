package dev.rotor.consumer.mig;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.compute.v1.FixedOrPercent;
import com.google.cloud.compute.v1.InstanceGroupManager;
import com.google.cloud.compute.v1.InstanceGroupManagerUpdatePolicy;
import com.google.cloud.compute.v1.InstanceGroupManagerVersion;
import com.google.cloud.compute.v1.InstanceGroupManagersClient;
import com.google.cloud.compute.v1.Operation;
import com.google.cloud.compute.v1.RegionInstanceGroupManagersClient;
import dev.rotor.consumer.RestartProperties;
import dev.rotor.consumer.Restarter;
import dev.rotor.credential.Sleeper;
import dev.rotor.gcp.GoogleErrors;
import dev.rotor.error.RemoteException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Rolls a managed instance group (zonal or regional) with a proactive rolling replace, as
 * {@code gcloud compute instance-groups managed rolling-action replace --max-surge 1 --max-unavailable 0}
 * does (gcloud {@code command_lib/compute/instance_groups/managed/rolling_action.py}, gcp-api-facts §8.2):
 * PATCH the group with every version renamed ({@code "<i>/<stamp>"}, which makes every instance outdated) and
 * {@code updatePolicy {type PROACTIVE, minimalAction REPLACE, maxSurge, maxUnavailable 0}}, then wait until
 * {@code status.isStable} and {@code status.versionTarget.isReached}, bounded by
 * {@code rotor.restart.mig-timeout}. A regional group's fixed max surge must be 0 or at least its number of
 * zones (https://cloud.google.com/compute/docs/instance-groups/rolling-out-updates-to-managed-instance-groups#max_surge),
 * so it surges by its zone count. Versions already named with this roll's stamp are not patched again.
 * Stateful groups are refused unless the declaration allows an outage: gcloud forces max surge 0 and
 * RECREATE for them, so an instance is down while it is replaced. Spot VMs: a preemption can interleave
 * with the replace; the group then recreates the instance from the new version, and the wait covers it.
 */
@Singleton
public final class MigRestarter implements Restarter {
    private static final Logger LOG = LoggerFactory.getLogger(MigRestarter.class);
    private final InstanceGroupManagersClient zonal;
    private final RegionInstanceGroupManagersClient regional;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RestartProperties properties;

    public MigRestarter(InstanceGroupManagersClient zonal, RegionInstanceGroupManagersClient regional, Clock clock,
                        Sleeper sleeper, RestartProperties properties) {
        this.zonal = zonal;
        this.regional = regional;
        this.clock = clock;
        this.sleeper = sleeper;
        this.properties = properties;
    }

    /** {@code projects/P/zones/Z/instanceGroupManagers/M}, taken apart. */
    private record Target(String name, String project, boolean zonal, String location, String group) {
        static Target parse(String target) {
            String name = target.substring("mig:".length());
            String[] p = name.split("/");
            if (p.length != 6 || !p[0].equals("projects") || !p[4].equals("instanceGroupManagers")
                    || !(p[2].equals("zones") || p[2].equals("regions"))) {
                throw new IllegalArgumentException(target + " is not mig:projects/P/zones/Z/instanceGroupManagers/M "
                        + "or mig:projects/P/regions/R/instanceGroupManagers/M");
            }
            return new Target(name, p[1], p[2].equals("zones"), p[3], p[5]);
        }
    }

    @Override
    public boolean handles(String target) {
        return target.startsWith("mig:");
    }

    @Override
    public Rolled roll(Roll roll) {
        Target t = Target.parse(roll.target());
        InstanceGroupManager igm = get(t);
        List<InstanceGroupManagerVersion> versions = igm.getVersionsList().isEmpty()
                ? List.of(InstanceGroupManagerVersion.newBuilder().setInstanceTemplate(igm.getInstanceTemplate()).build())
                : igm.getVersionsList();
        List<InstanceGroupManagerVersion> renamed = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            renamed.add(versions.get(i).toBuilder().setName(i + "/" + roll.stamp()).build());
        }
        if (renamed.equals(igm.getVersionsList())) {
            await(t);
            return new Rolled(false, List.of());
        }
        List<String> warnings = new ArrayList<>();
        boolean stateful = igm.hasStatefulPolicy() && igm.getStatefulPolicy().hasPreservedState()
                && igm.getStatefulPolicy().getPreservedState().getDisksCount() > 0;
        if (stateful && !roll.outageAllowed()) {
            throw new IllegalStateException("refused to replace the instances of stateful group " + t.name() + ": "
                    + "each is down while it is recreated (max surge 0). Nothing was changed; list the target in "
                    + "the secret's rotor.consumers-allow-outage to replace them anyway");
        }
        int zones = t.zonal() ? 1 : Math.max(1, igm.getDistributionPolicy().getZonesCount());
        InstanceGroupManagerUpdatePolicy.Builder policy = InstanceGroupManagerUpdatePolicy.newBuilder()
                .setType("PROACTIVE").setMinimalAction("REPLACE")
                .setMaxSurge(FixedOrPercent.newBuilder().setFixed(stateful ? 0 : zones))
                .setMaxUnavailable(FixedOrPercent.newBuilder().setFixed(stateful ? 1 : 0));
        if (stateful) {
            policy.setReplacementMethod("RECREATE");
            warnings.add("stateful group: instances are recreated one at a time (rotor.consumers-allow-outage)");
        }
        InstanceGroupManager patch = InstanceGroupManager.newBuilder().addAllVersions(renamed)
                .setUpdatePolicy(policy).build();
        Operation op = patch(t, patch);
        if (op.hasError() && op.getError().getErrorsCount() > 0) {
            throw new IllegalStateException("the rolling replace of " + t.name() + " failed: "
                    + op.getError().getErrors(0).getCode() + ": " + op.getError().getErrors(0).getMessage()
                    + "; its instances were not replaced and the old version stays enabled");
        }
        LOG.info("rolling replace of {} started for {} version {}", t.name(), roll.ref(), roll.version());
        await(t);
        return new Rolled(true, warnings);
    }

    private InstanceGroupManager get(Target t) {
        try {
            return t.zonal() ? zonal.get(t.project(), t.location(), t.group())
                    : regional.get(t.project(), t.location(), t.group());
        } catch (ApiException e) {
            throw GoogleErrors.map("get " + t.name(), e);
        }
    }

    private Operation patch(Target t, InstanceGroupManager patch) {
        Future<Operation> f = null;
        try {
            f = t.zonal() ? zonal.patchAsync(t.project(), t.location(), t.group(), patch)
                    : regional.patchAsync(t.project(), t.location(), t.group(), patch);
            return f.get(properties.migTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ApiException e) {
            throw GoogleErrors.map("patch " + t.name(), e);
        } catch (ExecutionException e) {
            // a PATCH operation that ends in an error surfaces here, with its httpErrorStatusCode as the code
            String what = "the rolling replace of " + t.name() + " (its instances were not replaced)";
            throw e.getCause() instanceof ApiException api ? GoogleErrors.map(what, api)
                    : new IllegalStateException(what + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            f.cancel(true); // stops gax's polling, not the operation (as CloudRunRestarter.stopPolling says)
            throw new RemoteException.Retryable("patch " + t.name() + " did not complete within "
                    + properties.migTimeout() + "; the next run checks the group again", e);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while patching " + t.name());
        }
    }

    /** Waits until the group is stable on the new version, as {@code gcloud ... wait-until --stable}. */
    private void await(Target t) {
        Instant deadline = clock.instant().plus(properties.migTimeout());
        while (true) {
            InstanceGroupManager igm = get(t);
            if (igm.getStatus().getIsStable() && igm.getStatus().getVersionTarget().getIsReached()) {
                return;
            }
            var a = igm.getCurrentActions();
            String progress = "creating " + a.getCreating() + ", deleting " + a.getDeleting() + ", recreating "
                    + a.getRecreating() + ", verifying " + a.getVerifying() + ", up to date " + a.getNone();
            if (!clock.instant().isBefore(deadline)) {
                throw new IllegalStateException(t.name() + " was not stable on the new version within "
                        + properties.migTimeout() + " (" + progress + "); the replace goes on, and the next run "
                        + "checks it again without starting another");
            }
            LOG.info("rolling replace of {}: {}", t.name(), progress);
            sleeper.sleep(properties.pollInterval());
        }
    }
}
