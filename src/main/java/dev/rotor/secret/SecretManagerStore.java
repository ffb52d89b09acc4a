package dev.rotor.secret;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ResourceExhaustedException;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import dev.rotor.error.RemoteException;
import dev.rotor.gcp.GoogleErrors;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link SecretStore} on the official Secret Manager client. Reads and state changes are paced by
 * {@link QuotaLimiter} and retried by {@link Retrier}; writes are also paced per secret and per version by
 * {@link WritePacer}. AddSecretVersion and the etag-guarded update are retried here only after a
 * RESOURCE_EXHAUSTED refusal, which means they did not run; after any other failure the engine must first
 * learn whether the earlier attempt landed.
 */
@Singleton
public final class SecretManagerStore implements SecretStore {
    static final int PAGE_SIZE = 25_000;
    static final String MANAGED_FILTER = "labels.rotor=managed";
    private static final FieldMask ANNOTATIONS_AND_ALIASES =
            FieldMask.newBuilder().addPaths("annotations").addPaths("version_aliases").build();

    private final SecretManagerServiceClient client;
    private final QuotaLimiter quota;
    private final Retrier retrier;
    private final WritePacer pacer;
    private final WritePacing pacing;
    private final ProjectNumbers numbers;

    public SecretManagerStore(SecretManagerServiceClient client, QuotaLimiter quota, Retrier retrier,
                              WritePacer pacer, WritePacing pacing, ProjectNumbers numbers) {
        this.client = client;
        this.quota = quota;
        this.retrier = retrier;
        this.pacer = pacer;
        this.pacing = pacing;
        this.numbers = numbers;
    }

    @Override
    public List<ManagedSecret> listManaged(String project) {
        List<ManagedSecret> result = new ArrayList<>();
        String token = "";
        do {
            ListSecretsRequest request = ListSecretsRequest.newBuilder().setParent("projects/" + project)
                    .setFilter(MANAGED_FILTER).setPageSize(PAGE_SIZE).setPageToken(token).build();
            var page = read(project, "ListSecrets projects/" + project,
                    () -> client.listSecretsCallable().call(request));
            page.getSecretsList().forEach(s -> result.add(toManaged(s, project)));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return result;
    }

    @Override
    public ManagedSecret get(SecretRef ref) {
        return toManaged(read(ref.project(), "GetSecret " + ref, () -> client.getSecret(ref.name())), ref.project());
    }

    @Override
    public long addVersion(SecretRef ref, byte[] payload) {
        quota.write(ref.project());
        SecretPayload p = SecretPayload.newBuilder().setData(ByteString.copyFrom(payload))
                .setDataCrc32C(Crc.of(payload)).build();
        SecretVersion v = untilQuotaAllows(ref, "AddSecretVersion " + ref, () -> client.addSecretVersion(ref.name(), p));
        return number(v.getName());
    }

    @Override
    public byte[] access(SecretRef ref, long version) {
        // A payload whose CRC32C does not match was corrupted in transit: read it again (gcp-api-facts §1.7).
        return retrier.call(() -> {
            var payload = once("AccessSecretVersion " + ref.version(version),
                    () -> client.accessSecretVersion(ref.version(version))).getPayload();
            byte[] data = payload.getData().toByteArray();
            if (payload.hasDataCrc32C() && payload.getDataCrc32C() != Crc.of(data)) {
                throw new RemoteException.Retryable("AccessSecretVersion " + ref.version(version)
                        + " returned a payload whose CRC32C does not match; nothing was changed", null);
            }
            return data;
        });
    }

    @Override
    public Optional<VersionInfo> version(SecretRef ref, long number) {
        try {
            return Optional.of(toInfo(read(ref.project(), "GetSecretVersion " + ref.version(number),
                    () -> client.getSecretVersion(ref.version(number)))));
        } catch (RemoteException.NotFound e) {
            return Optional.empty();
        }
    }

    @Override
    public List<VersionInfo> versions(SecretRef ref) {
        List<VersionInfo> result = new ArrayList<>();
        read(ref.project(), "ListSecretVersions " + ref, () -> {
            result.clear();
            client.listSecretVersions(ref.name()).iterateAll().forEach(v -> result.add(toInfo(v)));
            return result;
        });
        return result;
    }

    @Override
    public ManagedSecret update(SecretRef ref, String etag, Map<String, String> annotations,
                                Map<String, Long> aliases) {
        quota.write(ref.project());
        Secret patch = Secret.newBuilder().setName(ref.name()).setEtag(etag).putAllAnnotations(annotations)
                .putAllVersionAliases(aliases).build();
        try {
            return toManaged(untilQuotaAllowsRaw(ref, () -> client.updateSecret(patch, ANNOTATIONS_AND_ALIASES)),
                    ref.project());
        } catch (ApiException e) {
            RemoteException mapped = GoogleErrors.map("UpdateSecret " + ref, e);
            throw mapped instanceof RemoteException.FailedPrecondition ? preconditionFailed(ref, etag, mapped) : mapped;
        }
    }

    /**
     * Secret Manager answers an etag mismatch with FAILED_PRECONDITION, not ABORTED
     * (https://cloud.google.com/secret-manager/docs/etags, gcp-api-facts §1.3), and it documents no other
     * precondition of UpdateSecret, yet the code is generic and its message text is no contract. So Rotor asks
     * the strongly consistent GetSecret: when the etag moved on, another writer came first (a Conflict); when it
     * did not, the refusal had another reason, reported as a failure with Google's own words.
     */
    private RemoteException preconditionFailed(SecretRef ref, String etag, RemoteException refused) {
        String now;
        try {
            now = get(ref).etag();
        } catch (RemoteException e) {
            return refused;
        }
        return now.equals(etag)
                ? new RemoteException.FailedPrecondition(refused.getMessage() + " (the etag still matches, so this "
                + "is not a concurrent write; nothing was changed)", refused.getCause())
                : new RemoteException.Conflict("UpdateSecret " + ref + ": the etag no longer matches; another writer "
                + "changed the secret first", refused.getCause());
    }

    @Override
    public void disable(SecretRef ref, long version) {
        pacer.version(ref, version);
        write(ref.project(), "DisableSecretVersion " + ref.version(version),
                () -> client.disableSecretVersion(ref.version(version)));
    }

    @Override
    public void enable(SecretRef ref, long version) {
        pacer.version(ref, version);
        write(ref.project(), "EnableSecretVersion " + ref.version(version),
                () -> client.enableSecretVersion(ref.version(version)));
    }

    @Override
    public void destroy(SecretRef ref, long version) {
        pacer.version(ref, version);
        write(ref.project(), "DestroySecretVersion " + ref.version(version),
                () -> client.destroySecretVersion(ref.version(version)));
    }

    private <T> T read(String project, String call, Supplier<T> op) {
        return retrier.call(() -> {
            quota.read(project);
            return once(call, op);
        });
    }

    private <T> T write(String project, String call, Supplier<T> op) {
        return retrier.call(() -> {
            quota.write(project);
            return once(call, op);
        });
    }

    /**
     * A write that is not idempotent (AddSecretVersion, the etag-guarded UpdateSecret), paced per secret. It is
     * tried again only when refused with RESOURCE_EXHAUSTED: a quota refusal means the call did not run, unlike
     * UNAVAILABLE or a deadline, after which the engine must first learn whether it landed.
     */
    private <T> T untilQuotaAllows(SecretRef ref, String call, Supplier<T> op) {
        try {
            return untilQuotaAllowsRaw(ref, op);
        } catch (ApiException e) {
            throw GoogleErrors.map(call, e);
        }
    }

    private <T> T untilQuotaAllowsRaw(SecretRef ref, Supplier<T> op) {
        for (int attempt = 0; ; attempt++) {
            pacer.secret(ref);
            try {
                return op.get();
            } catch (ResourceExhaustedException e) {
                if (attempt >= pacing.quotaRetries()) {
                    throw e;
                }
                pacer.afterRefusal(attempt);
            }
        }
    }

    private static <T> T once(String call, Supplier<T> op) {
        try {
            return op.get();
        } catch (ApiException e) {
            throw GoogleErrors.map(call, e);
        }
    }

    /**
     * Google names the secret with the project number even when asked with the id (see {@link SecretRef}):
     * the reference keeps the id the request used, so listings, reports and quota buckets show the project id.
     */
    private ManagedSecret toManaged(Secret s, String project) {
        numbers.learn(project, s.getName());
        String cmek = s.getReplication().getAutomatic().getCustomerManagedEncryption().getKmsKeyName();
        if (cmek.isEmpty() && s.getReplication().hasUserManaged()) {
            cmek = s.getReplication().getUserManaged().getReplicasList().stream()
                    .map(r -> r.getCustomerManagedEncryption().getKmsKeyName())
                    .filter(k -> !k.isEmpty()).findFirst().orElse("");
        }
        if (cmek.isEmpty()) {
            cmek = s.getCustomerManagedEncryption().getKmsKeyName();
        }
        return new ManagedSecret(SecretRef.fromName(s.getName(), project), s.getAnnotationsMap(), s.getVersionAliasesMap(),
                s.getEtag(), instant(s.getCreateTime()), cmek.isEmpty() ? Optional.empty() : Optional.of(cmek),
                Duration.ofSeconds(s.getVersionDestroyTtl().getSeconds()),
                "managed".equals(s.getLabelsMap().get("rotor")));
    }

    private static VersionInfo toInfo(SecretVersion v) {
        VersionInfo.State state = switch (v.getState()) {
            case ENABLED -> VersionInfo.State.ENABLED;
            case DISABLED -> VersionInfo.State.DISABLED;
            default -> VersionInfo.State.DESTROYED;
        };
        return new VersionInfo(number(v.getName()), state, instant(v.getCreateTime()),
                v.hasScheduledDestroyTime() ? Optional.of(instant(v.getScheduledDestroyTime())) : Optional.empty());
    }

    private static long number(String versionName) {
        return Long.parseLong(Arrays.asList(versionName.split("/")).getLast());
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
