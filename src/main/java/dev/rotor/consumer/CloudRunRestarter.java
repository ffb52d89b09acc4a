package dev.rotor.consumer;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import dev.rotor.gcp.GoogleErrors;
import dev.rotor.secret.ProjectNumbers;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Rolls a Cloud Run service (DESIGN §5). Env vars and volume items that pin the secret by version number are
 * moved to the new number ({@link CloudRunPins}), and the template is stamped with what was rolled
 * ({@link Stamp#ANNOTATION}); either makes a new revision (env-var secrets are read at instance start,
 * gcp-api-facts §5.3). An explicit template revision name is cleared: revision names are unique per service,
 * so re-sending one fails (gcp-api-facts §5.2). When the latest ready revision already carries the stamp, no
 * update is sent and only the traffic is checked. A service whose traffic is pinned to an older revision is
 * reported as not serving the new version, never as rolled.
 */
@Singleton
public final class CloudRunRestarter implements Restarter {
    static final long WAIT_MINUTES = 10;
    private final ServicesClient client;
    private final ProjectNumbers projectNumbers;

    public CloudRunRestarter(ServicesClient client, ProjectNumbers projectNumbers) {
        this.client = client;
        this.projectNumbers = projectNumbers;
    }

    @Override
    public boolean handles(String target) {
        return target.startsWith("run:");
    }

    @Override
    public Rolled roll(Roll roll) {
        String name = roll.target().substring(4);
        Service service;
        try {
            service = client.getService(name);
        } catch (ApiException e) {
            throw GoogleErrors.map("GetService " + name, e);
        }
        String stamp = service.getTemplate().getAnnotationsMap().get(Stamp.ANNOTATION);
        if (Stamp.carries(stamp, roll.ref(), roll.version())) {
            requireReady(service, name);
            checkTraffic(service, name);
            return new Rolled(false, List.of());
        }
        String project = name.split("/")[1];
        Service updated = service.toBuilder().setTemplate(CloudRunPins.repin(service.getTemplate(), project,
                roll.ref(), roll.version(), projectNumbers.of(roll.ref().project())).toBuilder().clearRevision()
                .putAnnotations(Stamp.ANNOTATION, Stamp.merge(stamp, roll.ref(), roll.version()))).build();
        Service done = update(updated, name);
        requireReady(done, name);
        checkTraffic(done, name);
        return new Rolled(true, List.of());
    }

    private Service update(Service updated, String name) {
        Future<Service> operation = client.updateServiceAsync(updated);
        try {
            return operation.get(WAIT_MINUTES, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ApiException api ? GoogleErrors.map("UpdateService " + name, api)
                    : new IllegalStateException("UpdateService " + name + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            stopPolling(operation);
            throw new IllegalStateException("the new revision of " + name + " was not ready within " + WAIT_MINUTES
                    + " minutes; the next run checks it again without another revision");
        } catch (InterruptedException e) {
            stopPolling(operation);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name);
        }
    }

    /**
     * A roll given up (its timeout, or the run's) stops polling its operation: without this gax goes on reading the
     * operation in the background for up to its total timeout after Rotor has moved on. Cancelling a gax
     * {@code OperationFuture} cancels only its polling future ({@code OperationFutureImpl.cancel} delegates to
     * {@code pollingFuture.cancel}, gax 2.87), never the operation: the revision still deploys, and the next run finds
     * it by its stamp.
     */
    private static void stopPolling(Future<?> operation) {
        operation.cancel(true);
    }

    private static void requireReady(Service s, String name) {
        if (!s.getLatestReadyRevision().equals(s.getLatestCreatedRevision())) {
            throw new IllegalStateException("the new revision " + s.getLatestCreatedRevision() + " of " + name
                    + " is not ready (latest ready: " + s.getLatestReadyRevision() + "); the next run checks again");
        }
    }

    /**
     * Every status that carries traffic must serve the latest ready revision. A LATEST target's status serves
     * "the Service's latest ready Revision" (v2 reference, TrafficTargetAllocationType; and
     * https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.services#traffictargetstatus):
     * its {@code revision} is accepted when it names that revision or is left empty.
     */
    private static void checkTraffic(Service s, String name) {
        String latest = s.getLatestReadyRevision();
        String shortName = latest.substring(latest.lastIndexOf('/') + 1);
        for (TrafficTargetStatus t : s.getTrafficStatusesList()) {
            boolean followsLatest = t.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST
                    && t.getRevision().isEmpty();
            if (t.getPercent() > 0 && !followsLatest && !t.getRevision().equals(shortName)) {
                throw new IllegalStateException(name + " is ready on revision " + shortName + ", but " + t.getPercent()
                        + "% of its traffic is pinned to revision " + t.getRevision() + ", which still serves the old "
                        + "version; move the traffic, then the next run retires the old version");
            }
        }
    }
}
