package dev.rotor.local.run;

import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import dev.rotor.local.Etags;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static dev.rotor.local.Statuses.failedPrecondition;
import static dev.rotor.local.Statuses.notFound;

/**
 * Emulated Cloud Run services (gcp-api-facts §5, §10.6): every UpdateService makes a new revision and
 * answers with a long-running operation that completes once the revision is Ready, after a configurable
 * delay of the emulator's clock. Traffic either follows the latest ready revision or is pinned to named
 * revisions, which then keep serving the old one.
 */
public final class CloudRunState {
    private record Pending(String service, Instant readyAt) {
    }

    private final Clock clock;
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, Pending> operations = new LinkedHashMap<>();
    private final Map<String, Integer> revisionCounter = new LinkedHashMap<>();
    private volatile Duration readyDelay = Duration.ZERO;

    public CloudRunState(Clock clock) {
        this.clock = clock;
    }

    public void readyDelay(Duration delay) {
        this.readyDelay = delay;
    }

    /** Seeds a service whose first revision is ready and serves all traffic. */
    public synchronized Service create(String parent, String id, Service template) {
        String name = parent + "/services/" + id;
        String revision = nextRevision(name);
        Service s = template.toBuilder().setName(name).setUid(UUID.randomUUID().toString()).setGeneration(1)
                .setLatestCreatedRevision(name + "/revisions/" + revision)
                .setLatestReadyRevision(name + "/revisions/" + revision).setEtag(Etags.next())
                .addTraffic(template.getTrafficCount() > 0 ? template.getTraffic(0) : TrafficTarget.newBuilder()
                        .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST).setPercent(100).build())
                .build();
        services.put(name, withStatuses(s));
        return services.get(name);
    }

    public synchronized Service get(String name) {
        Service s = services.get(name);
        if (s == null) {
            throw notFound("Resource '" + name + "' was not found");
        }
        return s;
    }

    /** Replaces the service's spec, creates a revision, and returns the operation that waits for it. */
    public synchronized Operation update(Service requested) {
        Service current = get(requested.getName());
        if (!requested.getEtag().isEmpty() && !requested.getEtag().equals(current.getEtag())) {
            throw failedPrecondition("The etag does not match the service's current etag.");
        }
        String revision = requested.getName() + "/revisions/" + nextRevision(requested.getName());
        Service updated = current.toBuilder().setTemplate(requested.getTemplate())
                .clearTraffic().addAllTraffic(requested.getTrafficCount() > 0 ? requested.getTrafficList()
                        : current.getTrafficList())
                .setGeneration(current.getGeneration() + 1).setLatestCreatedRevision(revision)
                .setReconciling(true).setEtag(Etags.next()).build();
        services.put(updated.getName(), updated);
        String op = updated.getName().substring(0, updated.getName().indexOf("/services/")) + "/operations/"
                + UUID.randomUUID();
        operations.put(op, new Pending(updated.getName(), clock.instant().plus(readyDelay)));
        return Operation.newBuilder().setName(op).setDone(false).setMetadata(Any.pack(updated)).build();
    }

    /** The operation, done once its revision is ready; the service then serves it where traffic follows LATEST. */
    public synchronized Operation operation(String name) {
        Pending p = operations.get(name);
        if (p == null) {
            throw notFound("Operation " + name + " not found.");
        }
        Service s = services.get(p.service());
        if (clock.instant().isBefore(p.readyAt())) {
            return Operation.newBuilder().setName(name).setDone(false).setMetadata(Any.pack(s)).build();
        }
        if (s.getReconciling()) {
            s = withStatuses(s.toBuilder().setLatestReadyRevision(s.getLatestCreatedRevision()).setReconciling(false)
                    .setObservedGeneration(s.getGeneration()).build());
            services.put(s.getName(), s);
        }
        return Operation.newBuilder().setName(name).setDone(true).setMetadata(Any.pack(s)).setResponse(Any.pack(s)).build();
    }

    /** Traffic statuses: which revision each target actually serves. */
    private static Service withStatuses(Service s) {
        Service.Builder b = s.toBuilder().clearTrafficStatuses();
        for (TrafficTarget t : s.getTrafficList()) {
            String revision = t.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST
                    ? s.getLatestReadyRevision() : t.getRevision();
            b.addTrafficStatuses(TrafficTargetStatus.newBuilder().setType(t.getType()).setPercent(t.getPercent())
                    .setRevision(revision.substring(revision.lastIndexOf('/') + 1)));
        }
        return b.build();
    }

    private String nextRevision(String service) {
        int n = revisionCounter.merge(service, 1, Integer::sum);
        return service.substring(service.lastIndexOf('/') + 1) + String.format("-%05d", n);
    }
}
