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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.rotor.local.Statuses.alreadyExists;
import static dev.rotor.local.Statuses.failedPrecondition;
import static dev.rotor.local.Statuses.invalid;
import static dev.rotor.local.Statuses.notFound;

/**
 * Emulated Cloud Run services (gcp-api-facts §5, §10.6): every CreateService and UpdateService makes a new
 * revision and answers with a long-running operation that completes once the revision is Ready, after a
 * configurable delay of the emulator's clock. Revision names are unique per service: an explicit
 * {@code template.revision} must start with the service's name and cannot be sent again (gcp-api-facts §5.2).
 * Traffic either follows the latest ready revision or is pinned to named revisions, which then keep serving
 * the old one; a LATEST target's status names the latest ready revision ("Revision to which this traffic is
 * sent", v2 reference TrafficTargetStatus). Templates, env vars and secret volumes are stored as sent.
 */
public final class CloudRunState {
    private record Pending(String service, Instant readyAt, boolean deleting) {
    }

    private final Clock clock;
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, Pending> operations = new LinkedHashMap<>();
    private final Map<String, Integer> revisionCounter = new LinkedHashMap<>();
    private final Map<String, Set<String>> revisionNames = new LinkedHashMap<>();
    private volatile Duration readyDelay = Duration.ZERO;

    public CloudRunState(Clock clock) {
        this.clock = clock;
    }

    public void readyDelay(Duration delay) {
        this.readyDelay = delay;
    }

    /** Seeds a service whose first revision is ready and serves all traffic. */
    public synchronized Service create(String parent, String id, Service template) {
        Operation op = createOperation(parent, id, template);
        operations.remove(op.getName());
        Service s = services.get(parent + "/services/" + id);
        services.put(s.getName(), withStatuses(ready(s)));
        return services.get(s.getName());
    }

    /** CreateService: ALREADY_EXISTS for a taken id; the first revision is ready after the delay. */
    public synchronized Operation createOperation(String parent, String id, Service template) {
        String name = parent + "/services/" + id;
        if (services.containsKey(name)) {
            throw alreadyExists("Resource '" + name + "' already exists.");
        }
        String revision = name + "/revisions/" + revisionName(name, template.getTemplate().getRevision());
        Service s = template.toBuilder().setName(name).setUid(UUID.randomUUID().toString()).setGeneration(1)
                .setLatestCreatedRevision(revision).setReconciling(true).setEtag(Etags.next())
                .clearTraffic().addAllTraffic(template.getTrafficCount() > 0 ? template.getTrafficList()
                        : List.of(TrafficTarget.newBuilder().setType(
                        TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST).setPercent(100).build()))
                .build();
        services.put(name, s);
        return pending(s, false);
    }

    /** The service; a revision whose time has come is ready whether or not anyone polls its operation. */
    public synchronized Service get(String name) {
        Service s = services.get(name);
        if (s == null) {
            throw notFound("Resource '" + name + "' was not found");
        }
        if (s.getReconciling() && operations.values().stream().anyMatch(p -> p.service().equals(name)
                && !p.deleting() && !clock.instant().isBefore(p.readyAt()))) {
            s = withStatuses(ready(s));
            services.put(name, s);
        }
        return s;
    }

    /** The services under {@code projects/P/locations/L}, in creation order. */
    public synchronized List<Service> list(String parent) {
        return services.values().stream().filter(s -> s.getName().startsWith(parent + "/services/")).toList();
    }

    /** DeleteService: the operation's response is the deleted service. */
    public synchronized Operation delete(String name, String etag) {
        Service s = get(name);
        if (!etag.isEmpty() && !etag.equals(s.getEtag())) {
            throw failedPrecondition("The etag does not match the service's current etag.");
        }
        return pending(s, true);
    }

    /** Replaces the service's spec, creates a revision, and returns the operation that waits for it. */
    public synchronized Operation update(Service requested) {
        Service current = get(requested.getName());
        if (!requested.getEtag().isEmpty() && !requested.getEtag().equals(current.getEtag())) {
            throw failedPrecondition("The etag does not match the service's current etag.");
        }
        String revision = requested.getName() + "/revisions/"
                + revisionName(requested.getName(), requested.getTemplate().getRevision());
        Service updated = current.toBuilder().setTemplate(requested.getTemplate())
                .clearTraffic().addAllTraffic(requested.getTrafficCount() > 0 ? requested.getTrafficList()
                        : current.getTrafficList())
                .setGeneration(current.getGeneration() + 1).setLatestCreatedRevision(revision)
                .setReconciling(true).setEtag(Etags.next()).build();
        services.put(updated.getName(), updated);
        return pending(updated, false);
    }

    /** How many revisions the service has had, for tests that count them. */
    public synchronized int revisions(String service) {
        return revisionNames.getOrDefault(service, Set.of()).size();
    }

    /** The operation, done once its revision is ready; the service then serves it where traffic follows LATEST. */
    public synchronized Operation operation(String name) {
        Pending p = operations.get(name);
        if (p == null) {
            throw notFound("Operation " + name + " not found.");
        }
        Service s = services.get(p.service());
        if (s == null || clock.instant().isBefore(p.readyAt())) {
            return Operation.newBuilder().setName(name).setDone(s == null).setMetadata(Any.pack(s == null
                    ? Service.getDefaultInstance() : s)).build();
        }
        if (p.deleting()) {
            services.remove(s.getName());
            return Operation.newBuilder().setName(name).setDone(true).setMetadata(Any.pack(s)).setResponse(Any.pack(s))
                    .build();
        }
        if (s.getReconciling()) {
            s = withStatuses(ready(s));
            services.put(s.getName(), s);
        }
        return Operation.newBuilder().setName(name).setDone(true).setMetadata(Any.pack(s)).setResponse(Any.pack(s)).build();
    }

    private Operation pending(Service s, boolean deleting) {
        String op = s.getName().substring(0, s.getName().indexOf("/services/")) + "/operations/" + UUID.randomUUID();
        operations.put(op, new Pending(s.getName(), clock.instant().plus(deleting ? Duration.ZERO : readyDelay),
                deleting));
        return Operation.newBuilder().setName(op).setDone(false).setMetadata(Any.pack(s)).build();
    }

    private static Service ready(Service s) {
        return s.toBuilder().setLatestReadyRevision(s.getLatestCreatedRevision()).setReconciling(false)
                .setObservedGeneration(s.getGeneration()).build();
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

    /** The explicit name, checked unique and prefixed, or the next generated one. */
    private String revisionName(String service, String explicit) {
        String id = service.substring(service.lastIndexOf('/') + 1);
        Set<String> used = revisionNames.computeIfAbsent(service, k -> new HashSet<>());
        String name;
        if (!explicit.isEmpty()) {
            if (!explicit.startsWith(id + "-")) {
                throw invalid("template.revision: \"" + explicit + "\" must start with the service name \"" + id + "-\"");
            }
            if (used.contains(explicit)) {
                throw alreadyExists("Revision named '" + explicit + "' with different configuration already exists.");
            }
            name = explicit;
        } else {
            do {
                name = id + String.format("-%05d", revisionCounter.merge(service, 1, Integer::sum));
            } while (used.contains(name));
        }
        used.add(name);
        return name;
    }
}
