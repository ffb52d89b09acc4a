package dev.rotor.local.iam;

import com.google.iam.admin.v1.CreateServiceAccountKeyRequest;
import com.google.iam.admin.v1.CreateServiceAccountRequest;
import com.google.iam.admin.v1.DeleteServiceAccountKeyRequest;
import com.google.iam.admin.v1.DisableServiceAccountKeyRequest;
import com.google.iam.admin.v1.EnableServiceAccountKeyRequest;
import com.google.iam.admin.v1.GetServiceAccountKeyRequest;
import com.google.iam.admin.v1.GetServiceAccountRequest;
import com.google.iam.admin.v1.IAMGrpc;
import com.google.iam.admin.v1.ListServiceAccountKeysRequest;
import com.google.iam.admin.v1.ListServiceAccountKeysResponse;
import com.google.iam.admin.v1.ServiceAccount;
import com.google.iam.admin.v1.ServiceAccountKey;
import com.google.iam.admin.v1.ServiceAccountKeyAlgorithm;
import com.google.iam.admin.v1.ServiceAccountKeyOrigin;
import com.google.iam.admin.v1.ServiceAccountPrivateKeyType;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import com.google.rpc.Code;
import com.google.rpc.PreconditionFailure;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;

import java.time.Instant;
import java.util.function.Supplier;

import static dev.rotor.local.Statuses.invalid;
import static dev.rotor.local.Unary.respond;

/**
 * IAM Admin's service-account key calls (gcp-api-facts §4): the 10 user-managed key limit
 * (FAILED_PRECONDITION), {@code private_key_data} only in the create response, disable/enable/delete, and the
 * {@code iam.disableServiceAccountKeyCreation} organisation policy (FAILED_PRECONDITION with a
 * PreconditionFailure naming the constraint). Lists lag behind creates when {@link IamState#listLag} is set:
 * Google documents IAM reads as eventually consistent.
 */
public final class IamAdminEmulator extends IAMGrpc.IAMImplBase {
    static final String KEY_POLICY = "constraints/iam.disableServiceAccountKeyCreation";
    private final IamState iam;
    private final Supplier<String> tokenUri;

    public IamAdminEmulator(IamState iam, Supplier<String> tokenUri) {
        this.iam = iam;
        this.tokenUri = tokenUri;
    }

    @Override
    public void createServiceAccount(CreateServiceAccountRequest r, StreamObserver<ServiceAccount> o) {
        respond(o, () -> account(iam.createAccount(r.getName().substring("projects/".length()), r.getAccountId())));
    }

    @Override
    public void getServiceAccount(GetServiceAccountRequest r, StreamObserver<ServiceAccount> o) {
        respond(o, () -> account(iam.account(accountId(r.getName()))));
    }

    @Override
    public void createServiceAccountKey(CreateServiceAccountKeyRequest r, StreamObserver<ServiceAccountKey> o) {
        IamState.Account a;
        try {
            a = iam.account(accountId(r.getName()));
            iam.requireKeyAdmin(a, "iam.serviceAccountKeys.create");
        } catch (io.grpc.StatusRuntimeException e) {
            o.onError(e);
            return;
        }
        if (iam.keyCreationDisabledByPolicy()) {
            com.google.rpc.Status status = com.google.rpc.Status.newBuilder().setCode(Code.FAILED_PRECONDITION_VALUE)
                    .setMessage("Key creation is not allowed on this service account.")
                    .addDetails(Any.pack(PreconditionFailure.newBuilder().addViolations(
                            PreconditionFailure.Violation.newBuilder().setType(KEY_POLICY)
                                    .setSubject("projects/" + a.project).setDescription(
                                            "Key creation is not allowed on this service account.")).build()))
                    .build();
            o.onError(StatusProto.toStatusRuntimeException(status));
            return;
        }
        respond(o, () -> {
            IamState.Key k = iam.addUserKey(a);
            return key(a, k).toBuilder()
                    .setPrivateKeyType(ServiceAccountPrivateKeyType.TYPE_GOOGLE_CREDENTIALS_FILE)
                    .setPrivateKeyData(ByteString.copyFrom(KeyFiles.json(a, k, tokenUri.get()))).build();
        });
    }

    @Override
    public void listServiceAccountKeys(ListServiceAccountKeysRequest r, StreamObserver<ListServiceAccountKeysResponse> o) {
        respond(o, () -> {
            IamState.Account a = iam.account(accountId(r.getName()));
            ListServiceAccountKeysResponse.Builder b = ListServiceAccountKeysResponse.newBuilder();
            synchronized (iam) {
                for (IamState.Key k : a.keys) {
                    boolean wanted = r.getKeyTypesCount() == 0 || r.getKeyTypesList().stream().anyMatch(t ->
                            t == ListServiceAccountKeysRequest.KeyType.USER_MANAGED ? k.userManaged : !k.userManaged);
                    if (wanted && iam.listed(k)) {
                        b.addKeys(key(a, k));
                    }
                }
            }
            return b.build();
        });
    }

    @Override
    public void getServiceAccountKey(GetServiceAccountKeyRequest r, StreamObserver<ServiceAccountKey> o) {
        respond(o, () -> {
            IamState.Account a = iam.account(accountId(r.getName()));
            return key(a, iam.key(a, keyId(r.getName())));
        });
    }

    @Override
    public void deleteServiceAccountKey(DeleteServiceAccountKeyRequest r, StreamObserver<Empty> o) {
        respond(o, () -> {
            IamState.Account a = iam.account(accountId(r.getName()));
            iam.requireKeyAdmin(a, "iam.serviceAccountKeys.delete");
            iam.deleteKey(a, keyId(r.getName()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void disableServiceAccountKey(DisableServiceAccountKeyRequest r, StreamObserver<Empty> o) {
        respond(o, () -> setDisabled(r.getName(), true));
    }

    @Override
    public void enableServiceAccountKey(EnableServiceAccountKeyRequest r, StreamObserver<Empty> o) {
        respond(o, () -> setDisabled(r.getName(), false));
    }

    private Empty setDisabled(String name, boolean disabled) {
        IamState.Account a = iam.account(accountId(name));
        iam.requireKeyAdmin(a, disabled ? "iam.serviceAccountKeys.disable" : "iam.serviceAccountKeys.enable");
        iam.key(a, keyId(name)).disabled = disabled;
        return Empty.getDefaultInstance();
    }

    private static ServiceAccount account(IamState.Account a) {
        return ServiceAccount.newBuilder().setName("projects/" + a.project + "/serviceAccounts/" + a.email)
                .setProjectId(a.project).setUniqueId(a.uniqueId).setEmail(a.email).build();
    }

    private static ServiceAccountKey key(IamState.Account a, IamState.Key k) {
        return ServiceAccountKey.newBuilder()
                .setName("projects/" + a.project + "/serviceAccounts/" + a.email + "/keys/" + k.id)
                .setKeyAlgorithm(ServiceAccountKeyAlgorithm.KEY_ALG_RSA_2048)
                .setValidAfterTime(ts(k.validAfter)).setValidBeforeTime(ts(k.validBefore))
                .setKeyOrigin(ServiceAccountKeyOrigin.GOOGLE_PROVIDED)
                .setKeyType(k.userManaged ? ListServiceAccountKeysRequest.KeyType.USER_MANAGED
                        : ListServiceAccountKeysRequest.KeyType.SYSTEM_MANAGED)
                .setDisabled(k.disabled).build();
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).build();
    }

    /** {@code projects/P/serviceAccounts/EMAIL[/keys/K]}; P may be {@code -}. */
    private static String accountId(String name) {
        String[] parts = name.split("/");
        if (parts.length < 4 || !parts[0].equals("projects") || !parts[2].equals("serviceAccounts")) {
            throw invalid("Invalid service account name " + name + ".");
        }
        return parts[3];
    }

    private static String keyId(String name) {
        String[] parts = name.split("/");
        if (parts.length != 6 || !parts[4].equals("keys")) {
            throw invalid("Invalid service account key name " + name + ".");
        }
        return parts[5];
    }
}
