package dev.rotor.local.compute;

import com.google.cloud.compute.v1.Error;
import com.google.cloud.compute.v1.Errors;
import com.google.cloud.compute.v1.InstanceGroupManager;
import com.google.cloud.compute.v1.InstanceGroupManagerActionsSummary;
import com.google.cloud.compute.v1.InstanceGroupManagerStatus;
import com.google.cloud.compute.v1.InstanceGroupManagerStatusVersionTarget;
import com.google.cloud.compute.v1.InstanceGroupManagerVersion;
import com.google.cloud.compute.v1.Operation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Emulated managed instance groups (gcp-api-facts §8.2), on the emulator's clock. A PATCH whose
 * {@code versions} differ (a new instance template or a new version name, which is how
 * {@code gcloud ... rolling-action replace} marks every instance outdated) starts a proactive replacement:
 * with max surge 1 and max unavailable 0 one new instance is created, becomes healthy after
 * {@code replaceDelay}, and then an old one is deleted, until all {@code targetSize} run the new version. Until
 * then {@code status.isStable} and {@code status.versionTarget.isReached} are false and
 * {@code currentActions} counts the creating and deleting instances
 * (https://cloud.google.com/compute/docs/instance-groups/updating-migs#monitoring_updates). A group can be made
 * to stall (new instances never healthy), its PATCH operation to end in an error, or a call to answer an HTTP
 * status (403 as a missing permission would).
 */
public final class MigState {
    private static final class Group {
        InstanceGroupManager igm;
        Instant started;
        Duration replaceDelay = Duration.ZERO;
        Integer stallAfter;
        String operationError;
    }

    /** A failing call, as Compute's REST front end answers it. */
    public static final class HttpError extends RuntimeException {
        final int code;

        HttpError(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private final Clock clock;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Operation> operations = new LinkedHashMap<>();
    private final Map<String, Integer> failures = new LinkedHashMap<>();
    private int replacements;

    public MigState(Clock clock) {
        this.clock = clock;
    }

    /** Seeds a stable group at {@code projects/P/zones/Z/instanceGroupManagers/M} (or {@code regions/R}). */
    public synchronized void put(String name, InstanceGroupManager igm) {
        Group g = new Group();
        g.igm = igm.toBuilder().setName(name.substring(name.lastIndexOf('/') + 1)).setSelfLink(name)
                .setFingerprint(UUID.randomUUID().toString()).build();
        groups.put(name, g);
    }

    public synchronized void replaceDelay(String name, Duration delay) {
        group(name).replaceDelay = delay;
    }

    /** New instances stop becoming healthy after {@code healthy} of them (0: none ever does). */
    public synchronized void stallAfter(String name, Integer healthy) {
        group(name).stallAfter = healthy;
    }

    /** The next PATCH of this group answers an operation that ends in this error (null: none). */
    public synchronized void failOperation(String name, String message) {
        group(name).operationError = message;
    }

    /** Calls of {@code verb} (get, patch) answer this HTTP status; 0 restores them. */
    public synchronized void fail(String verb, int code) {
        if (code == 0) {
            failures.remove(verb);
        } else {
            failures.put(verb, code);
        }
    }

    /** How many rolling replacements were started, for tests that count them. */
    public synchronized int replacements() {
        return replacements;
    }

    public synchronized InstanceGroupManager get(String name) {
        check("get", name);
        Group g = group(name);
        return g.igm.toBuilder().setStatus(status(g)).setCurrentActions(actions(g)).build();
    }

    /** PATCH: merges the sent fields; changed versions start a replacement. Answers the operation. */
    public synchronized Operation patch(String name, InstanceGroupManager patch, String scope) {
        check("patch", name);
        Group g = group(name);
        InstanceGroupManager.Builder b = g.igm.toBuilder();
        if (patch.hasUpdatePolicy()) {
            b.setUpdatePolicy(patch.getUpdatePolicy());
        }
        Operation.Builder op = Operation.newBuilder().setName("operation-" + UUID.randomUUID()).setKind("compute#operation")
                .setOperationType("patch").setTargetLink(name).setStatus(Operation.Status.DONE)
                .setProgress(100).setInsertTime(clock.instant().toString()).setEndTime(clock.instant().toString());
        if (scope.startsWith("zones/")) {
            op.setZone(scope.substring("zones/".length()));
        } else {
            op.setRegion(scope.substring("regions/".length()));
        }
        if (g.operationError != null) {
            op.setError(Error.newBuilder().addErrors(Errors.newBuilder().setCode("CONDITION_NOT_MET")
                    .setMessage(g.operationError))).setHttpErrorStatusCode(400).setHttpErrorMessage("BAD REQUEST");
            g.operationError = null;
        } else if (!patch.getVersionsList().isEmpty() && !Objects.equals(patch.getVersionsList(), g.igm.getVersionsList())) {
            b.clearVersions().addAllVersions(patch.getVersionsList());
            g.started = clock.instant();
            replacements++;
        }
        g.igm = b.build();
        Operation done = op.build();
        operations.put(scope + "/" + done.getName(), done);
        return done;
    }

    public synchronized Operation operation(String scope, String name) {
        Operation op = operations.get(scope + "/" + name);
        if (op == null) {
            throw new HttpError(404, "The resource '" + name + "' was not found");
        }
        return op;
    }

    private int replaced(Group g) {
        if (g.started == null) {
            return g.igm.getTargetSize();
        }
        int size = g.igm.getTargetSize();
        long since = Duration.between(g.started, clock.instant()).toMillis();
        int n = g.replaceDelay.isZero() ? size : (int) Math.min(size, since / g.replaceDelay.toMillis());
        if (g.stallAfter != null) {
            n = Math.min(n, g.stallAfter);
        }
        if (n >= size) {
            g.started = null;
        }
        return n;
    }

    private InstanceGroupManagerStatus status(Group g) {
        boolean done = replaced(g) >= g.igm.getTargetSize();
        return InstanceGroupManagerStatus.newBuilder().setIsStable(done)
                .setVersionTarget(InstanceGroupManagerStatusVersionTarget.newBuilder().setIsReached(done)).build();
    }

    private InstanceGroupManagerActionsSummary actions(Group g) {
        int size = g.igm.getTargetSize();
        int n = replaced(g);
        boolean busy = n < size;
        return InstanceGroupManagerActionsSummary.newBuilder().setNone(busy ? size - 1 : size)
                .setCreating(busy ? 1 : 0).setDeleting(0).setRecreating(0).setRestarting(0).setAbandoning(0)
                .setRefreshing(0).setVerifying(0).build();
    }

    private Group group(String name) {
        Group g = groups.get(name);
        if (g == null) {
            throw new HttpError(404, "The resource '" + name + "' was not found");
        }
        return g;
    }

    private void check(String verb, String name) {
        Integer code = failures.get(verb);
        if (code != null) {
            throw new HttpError(code, code == 403 ? "Required 'compute.instanceGroupManagers."
                    + (verb.equals("get") ? "get" : "update") + "' permission for '" + name + "'"
                    : verb + " failed in the emulated Compute API (injected " + code + ")");
        }
    }

    /** The versions, for tests. */
    public synchronized List<InstanceGroupManagerVersion> versions(String name) {
        return group(name).igm.getVersionsList();
    }
}
