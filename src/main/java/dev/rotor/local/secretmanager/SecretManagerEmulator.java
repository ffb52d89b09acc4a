package dev.rotor.local.secretmanager;

import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.AddSecretVersionRequest;
import com.google.cloud.secretmanager.v1.CreateSecretRequest;
import com.google.cloud.secretmanager.v1.DeleteSecretRequest;
import com.google.cloud.secretmanager.v1.DestroySecretVersionRequest;
import com.google.cloud.secretmanager.v1.DisableSecretVersionRequest;
import com.google.cloud.secretmanager.v1.EnableSecretVersionRequest;
import com.google.cloud.secretmanager.v1.GetSecretRequest;
import com.google.cloud.secretmanager.v1.GetSecretVersionRequest;
import com.google.cloud.secretmanager.v1.ListSecretVersionsRequest;
import com.google.cloud.secretmanager.v1.ListSecretVersionsResponse;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.ListSecretsResponse;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceGrpc;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.cloud.secretmanager.v1.UpdateSecretRequest;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;

import static dev.rotor.local.Unary.respond;

/** The gRPC face of {@link SecretManagerState}; RPCs it does not implement answer UNIMPLEMENTED. */
public final class SecretManagerEmulator extends SecretManagerServiceGrpc.SecretManagerServiceImplBase {
    private final SecretManagerState state;

    public SecretManagerEmulator(SecretManagerState state) {
        this.state = state;
    }

    @Override
    public void createSecret(CreateSecretRequest r, StreamObserver<Secret> o) {
        respond(o, () -> state.create(r.getParent(), r.getSecretId(), r.getSecret()));
    }

    @Override
    public void getSecret(GetSecretRequest r, StreamObserver<Secret> o) {
        respond(o, () -> state.get(r.getName()));
    }

    @Override
    public void updateSecret(UpdateSecretRequest r, StreamObserver<Secret> o) {
        respond(o, () -> state.update(r.getSecret(), r.getUpdateMask()));
    }

    @Override
    public void deleteSecret(DeleteSecretRequest r, StreamObserver<Empty> o) {
        respond(o, () -> {
            state.delete(r.getName(), r.getEtag());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void listSecrets(ListSecretsRequest r, StreamObserver<ListSecretsResponse> o) {
        respond(o, () -> state.list(r.getParent(), r.getPageSize(), r.getPageToken(), r.getFilter()));
    }

    @Override
    public void addSecretVersion(AddSecretVersionRequest r, StreamObserver<SecretVersion> o) {
        respond(o, () -> state.add(r.getParent(), r.getPayload()));
    }

    @Override
    public void getSecretVersion(GetSecretVersionRequest r, StreamObserver<SecretVersion> o) {
        respond(o, () -> state.getVersion(r.getName()));
    }

    @Override
    public void accessSecretVersion(AccessSecretVersionRequest r, StreamObserver<AccessSecretVersionResponse> o) {
        respond(o, () -> state.access(r.getName()));
    }

    @Override
    public void listSecretVersions(ListSecretVersionsRequest r, StreamObserver<ListSecretVersionsResponse> o) {
        respond(o, () -> state.listVersions(r.getParent(), r.getPageSize(), r.getPageToken(), r.getFilter()));
    }

    @Override
    public void enableSecretVersion(EnableSecretVersionRequest r, StreamObserver<SecretVersion> o) {
        respond(o, () -> state.enable(r.getName(), r.getEtag()));
    }

    @Override
    public void disableSecretVersion(DisableSecretVersionRequest r, StreamObserver<SecretVersion> o) {
        respond(o, () -> state.disable(r.getName(), r.getEtag()));
    }

    @Override
    public void destroySecretVersion(DestroySecretVersionRequest r, StreamObserver<SecretVersion> o) {
        respond(o, () -> state.destroy(r.getName(), r.getEtag()));
    }
}
