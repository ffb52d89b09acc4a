package dev.rotor.credential;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.iam.admin.v1.CreateServiceAccountKeyRequest;
import com.google.iam.admin.v1.DeleteServiceAccountKeyRequest;
import com.google.iam.admin.v1.DisableServiceAccountKeyRequest;
import com.google.iam.admin.v1.EnableServiceAccountKeyRequest;
import com.google.iam.admin.v1.GetServiceAccountKeyRequest;
import com.google.iam.admin.v1.ListServiceAccountKeysRequest;
import com.google.iam.admin.v1.ServiceAccountKey;
import com.google.rpc.PreconditionFailure;
import dev.rotor.error.RemoteException;
import dev.rotor.gcp.GoogleErrors;
import io.grpc.protobuf.StatusProto;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link ServiceAccountKeys} on the official IAM Admin client. Errors are turned into messages that say how
 * to fix them: the key-creation organisation policy, and the role Rotor needs. NOT_FOUND on disable and
 * delete is success: the key is gone, which is what both calls are for.
 */
@Singleton
public final class IamAdminKeys implements ServiceAccountKeys {
    static final String KEY_CREATION_POLICY = "constraints/iam.disableServiceAccountKeyCreation";
    /** From this instant on a key counts as never expiring (Google's sentinel is the last second of 9999). */
    static final Instant NEVER = Instant.parse("9999-01-01T00:00:00Z");
    private final IAMClient client;

    public IamAdminKeys(IAMClient client) {
        this.client = client;
    }

    @Override
    public List<KeyInfo> userManaged(String sa) {
        try {
            return client.listServiceAccountKeys(ListServiceAccountKeysRequest.newBuilder().setName(name(sa))
                    .addKeyTypes(ListServiceAccountKeysRequest.KeyType.USER_MANAGED).build()).getKeysList().stream()
                    .map(IamAdminKeys::info).toList();
        } catch (ApiException e) {
            throw fix(GoogleErrors.map("ListServiceAccountKeys " + sa, e), sa);
        }
    }

    @Override
    public CreatedKey create(String sa) {
        try {
            ServiceAccountKey k = client.createServiceAccountKey(CreateServiceAccountKeyRequest.newBuilder()
                    .setName(name(sa)).build());
            return new CreatedKey(id(k), k.getPrivateKeyData().toByteArray(), validBefore(k));
        } catch (ApiException e) {
            if (violates(e, KEY_CREATION_POLICY)) {
                throw new RemoteException.FailedPrecondition("the organisation policy iam.disableServiceAccountKeyCreation "
                        + "forbids keys for " + sa + ": exempt its project from the constraint, or manage an "
                        + "access-token secret instead; nothing was created", e);
            }
            throw fix(GoogleErrors.map("CreateServiceAccountKey " + sa, e), sa);
        }
    }

    @Override
    public Optional<KeyInfo> get(String sa, String keyId) {
        try {
            return Optional.of(info(client.getServiceAccountKey(GetServiceAccountKeyRequest.newBuilder()
                    .setName(name(sa) + "/keys/" + keyId).build())));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (ApiException e) {
            throw fix(GoogleErrors.map("GetServiceAccountKey " + keyId + " of " + sa, e), sa);
        }
    }

    /** A key that is already gone cannot work either: the goal of disabling it is reached (issue 11 item 6). */
    @Override
    public void disable(String sa, String keyId) {
        untilGone("DisableServiceAccountKey", sa, keyId, () -> client.disableServiceAccountKey(
                DisableServiceAccountKeyRequest.newBuilder().setName(name(sa) + "/keys/" + keyId).build()));
    }

    @Override
    public void enable(String sa, String keyId) {
        call("EnableServiceAccountKey", sa, keyId, () -> client.enableServiceAccountKey(
                EnableServiceAccountKeyRequest.newBuilder().setName(name(sa) + "/keys/" + keyId).build()));
    }

    /** Gone already (out of band, or a retried delete whose first answer was lost): the goal is reached. */
    @Override
    public void delete(String sa, String keyId) {
        untilGone("DeleteServiceAccountKey", sa, keyId, () -> client.deleteServiceAccountKey(
                DeleteServiceAccountKeyRequest.newBuilder().setName(name(sa) + "/keys/" + keyId).build()));
    }

    /** A call whose goal, a key that no longer works, is also met by NOT_FOUND. */
    private void untilGone(String what, String sa, String keyId, Runnable op) {
        try {
            call(what, sa, keyId, op);
        } catch (RemoteException.NotFound e) {
            // already deleted
        }
    }

    private void call(String what, String sa, String keyId, Runnable op) {
        try {
            op.run();
        } catch (ApiException e) {
            throw fix(GoogleErrors.map(what + " " + keyId + " of " + sa, e), sa);
        }
    }

    private static RemoteException fix(RemoteException e, String sa) {
        if (e instanceof RemoteException.PermissionDenied) {
            return new RemoteException.PermissionDenied(e.getMessage() + "; grant Rotor's service account "
                    + "roles/iam.serviceAccountKeyAdmin on " + sa, e);
        }
        return e;
    }

    /** The one place that reads an error's details: the PreconditionFailure violation type Google sets. */
    static boolean violates(ApiException e, String constraint) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e.getCause() == null ? e : e.getCause());
        if (status == null) {
            return false;
        }
        return status.getDetailsList().stream().filter(d -> d.is(PreconditionFailure.class)).anyMatch(d -> {
            try {
                return d.unpack(PreconditionFailure.class).getViolationsList().stream()
                        .anyMatch(v -> constraint.equals(v.getType()));
            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                return false;
            }
        });
    }

    private static KeyInfo info(ServiceAccountKey k) {
        return new KeyInfo(id(k), k.getDisabled(), Instant.ofEpochSecond(k.getValidAfterTime().getSeconds()),
                validBefore(k));
    }

    /**
     * Empty for a key that never expires: Google then reports 9999-12-31T23:59:59Z. A key made under
     * {@code constraints/iam.serviceAccountKeyExpiryHours} reports when it stops working (gcp-api-facts §4).
     */
    static Optional<Instant> validBefore(ServiceAccountKey k) {
        if (!k.hasValidBeforeTime()) {
            return Optional.empty();
        }
        Instant before = Instant.ofEpochSecond(k.getValidBeforeTime().getSeconds());
        return before.isBefore(NEVER) ? Optional.of(before) : Optional.empty();
    }

    private static String name(String sa) {
        return "projects/-/serviceAccounts/" + sa;
    }

    private static String id(ServiceAccountKey k) {
        return k.getName().substring(k.getName().lastIndexOf('/') + 1);
    }
}
