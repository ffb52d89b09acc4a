package dev.rotor.local.secretmanager;

import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.CustomerManagedEncryptionStatus;
import com.google.cloud.secretmanager.v1.ListSecretVersionsResponse;
import com.google.cloud.secretmanager.v1.ListSecretsResponse;
import com.google.cloud.secretmanager.v1.ReplicationStatus;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import dev.rotor.local.Etags;
import dev.rotor.local.Page;
import dev.rotor.local.Projects;
import dev.rotor.local.Crc32c;
import dev.rotor.local.secretmanager.StoredSecret.StoredVersion;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.rotor.local.Statuses.alreadyExists;
import static dev.rotor.local.Statuses.failedPrecondition;
import static dev.rotor.local.Statuses.invalid;
import static dev.rotor.local.Statuses.notFound;

/**
 * The emulated Secret Manager: secrets, versions, states, aliases and etags with Google's documented
 * semantics (gcp-api-facts §1). Every method is atomic; times come from the injected clock. Names are
 * accepted with the project id or number and always answered with the number, as Google does ({@link Projects}).
 */
public final class SecretManagerState {
    static final int MAX_PAGE_SIZE = 25_000;
    private final Clock clock;
    private final Projects projects;
    private final Map<String, StoredSecret> secrets = new LinkedHashMap<>();
    private volatile Duration listLag = Duration.ZERO;

    public SecretManagerState(Clock clock, Projects projects) {
        this.clock = clock;
        this.projects = projects;
    }

    public synchronized Secret create(String parent, String secretId, Secret requested) {
        Names.project(parent);
        SecretRules.secretId(secretId);
        if (!requested.hasReplication()) {
            throw invalid("Secret.replication is required.");
        }
        SecretRules.secret(requested);
        if (requested.hasRotation()) {
            SecretRules.rotation(requested.getRotation(), clock.instant());
        }
        SecretRules.aliases(requested.getVersionAliasesMap());
        if (!requested.getVersionAliasesMap().isEmpty()) {
            throw invalid("A new secret has no versions for aliases to point at.");
        }
        String name = projects.withNumber(parent) + "/secrets/" + secretId;
        if (secrets.containsKey(name) && !expire(name)) {
            throw alreadyExists("Secret [" + name + "] already exists.");
        }
        Secret secret = SecretRules.expiration(requested.toBuilder().setName(name).setCreateTime(now())
                .setEtag(Etags.next()), clock.instant()).build();
        secrets.put(name, new StoredSecret(secret));
        return secret;
    }

    /**
     * "Adding a secret version and then immediately accessing that secret version by version number is a
     * strongly consistent operation. Other operations within Secret Manager are eventually consistent"
     * (https://cloud.google.com/secret-manager/docs/reference/consistency): for this long after it was added a
     * version is missing from ListSecretVersions, while Get and Access by its number already find it.
     */
    public void listLag(Duration lag) {
        this.listLag = lag;
    }

    public synchronized Secret get(String name) {
        return find(name).secret;
    }

    /** UpdateSecret: {@code update_mask} is required; {@code secret.etag}, when given, must match (§1.3). */
    public synchronized Secret update(Secret patch, FieldMask mask) {
        StoredSecret stored = find(patch.getName());
        if (mask.getPathsCount() == 0) {
            throw invalid("update_mask is required.");
        }
        checkEtag(patch.getEtag(), stored.secret.getEtag(), "Secret [" + patch.getName() + "]");
        Secret.Builder b = stored.secret.toBuilder();
        for (String path : mask.getPathsList()) {
            switch (path) {
                case "labels" -> b.clearLabels().putAllLabels(patch.getLabelsMap());
                case "annotations" -> b.clearAnnotations().putAllAnnotations(patch.getAnnotationsMap());
                case "version_aliases" -> {
                    SecretRules.aliases(patch.getVersionAliasesMap());
                    patch.getVersionAliasesMap().forEach((alias, number) -> {
                        if (number < 1 || number > stored.versions.size()) {
                            throw invalid("Version alias [" + alias + "] points at version " + number
                                    + ", which does not exist.");
                        }
                    });
                    b.clearVersionAliases().putAllVersionAliases(patch.getVersionAliasesMap());
                }
                case "version_destroy_ttl" -> b.setVersionDestroyTtl(patch.getVersionDestroyTtl());
                case "topics" -> b.clearTopics().addAllTopics(patch.getTopicsList());
                case "rotation" -> {
                    SecretRules.rotation(patch.getRotation(), clock.instant());
                    b.setRotation(patch.getRotation());
                }
                case "expire_time" -> b.setExpireTime(patch.getExpireTime());
                case "ttl" -> b.setTtl(patch.getTtl());
                default -> throw invalid("update_mask path [" + path + "] is not updatable.");
            }
        }
        Secret updated = SecretRules.expiration(b.setEtag(Etags.next()), clock.instant()).build();
        SecretRules.secret(updated);
        stored.secret = updated;
        return updated;
    }

    public synchronized void delete(String name, String etag) {
        StoredSecret stored = find(name);
        checkEtag(etag, stored.secret.getEtag(), "Secret [" + name + "]");
        // Google accepts `projects/{project}` as the id or the number and answers with the number
        // (GoogleCloudPlatform/python-docs-samples#7212; hashicorp/terraform-provider-google#11343,
        // #5963, cited in Projects): secrets are stored by number, so a delete named by id must remove that entry
        secrets.remove(projects.withNumber(name));
    }

    public synchronized ListSecretsResponse list(String parent, int pageSize, String pageToken, String filter) {
        Names.project(parent);
        String numbered = projects.withNumber(parent);
        Predicate<Secret> matches = filter.isBlank() ? s -> true : SecretFilter.parse(filter);
        List.copyOf(secrets.keySet()).forEach(this::expire);
        List<Secret> all = secrets.values().stream().map(s -> s.secret)
                .filter(s -> s.getName().startsWith(numbered + "/secrets/")).filter(matches)
                .sorted(Comparator.comparing((Secret s) -> s.getCreateTime().getSeconds())
                        .thenComparing(s -> s.getCreateTime().getNanos()).reversed())
                .toList();
        Page page = Page.of(all.size(), pageSize, pageToken, MAX_PAGE_SIZE);
        return ListSecretsResponse.newBuilder().addAllSecrets(all.subList(page.from(), page.to()))
                .setNextPageToken(page.nextToken()).setTotalSize(filter.isBlank() ? all.size() : 0).build();
    }

    public synchronized SecretVersion add(String parent, SecretPayload payload) {
        StoredSecret stored = find(parent);
        SecretRules.payloadSize(payload.getData().size());
        long crc = Crc32c.of(payload.getData().toByteArray());
        if (payload.hasDataCrc32C() && payload.getDataCrc32C() != crc) {
            // gcp-api-facts §1.7: the code is [unverified]; INVALID_ARGUMENT is the inference.
            throw invalid("Checksum mismatch: data_crc32c does not match the payload.");
        }
        SecretVersion.Builder v = SecretVersion.newBuilder()
                .setName(stored.secret.getName() + "/versions/" + stored.nextVersionNumber())
                .setCreateTime(now()).setState(SecretVersion.State.ENABLED).setEtag(Etags.next())
                .setClientSpecifiedPayloadChecksum(payload.hasDataCrc32C());
        String kmsKey = stored.secret.getReplication().getAutomatic().getCustomerManagedEncryption().getKmsKeyName();
        if (!kmsKey.isEmpty()) {
            v.setReplicationStatus(ReplicationStatus.newBuilder().setAutomatic(
                    ReplicationStatus.AutomaticStatus.newBuilder().setCustomerManagedEncryption(
                            CustomerManagedEncryptionStatus.newBuilder()
                                    .setKmsKeyVersionName(kmsKey + "/cryptoKeyVersions/1"))));
        }
        StoredVersion version = new StoredVersion(v.build(), payload.getData(), crc);
        stored.versions.add(version);
        return version.version;
    }

    public synchronized SecretVersion getVersion(String name) {
        return resolve(name).version;
    }

    /** Access: only ENABLED versions; {@code latest} is the newest in any state (§1.2). */
    public synchronized AccessSecretVersionResponse access(String name) {
        StoredVersion v = resolve(name);
        if (v.version.getState() != SecretVersion.State.ENABLED) {
            throw failedPrecondition("Secret Version [" + v.version.getName() + "] is in "
                    + v.version.getState().name() + " state.");
        }
        return AccessSecretVersionResponse.newBuilder().setName(v.version.getName())
                .setPayload(SecretPayload.newBuilder().setData(v.data).setDataCrc32C(v.crc32c)).build();
    }

    public synchronized ListSecretVersionsResponse listVersions(String parent, int pageSize, String token,
                                                                String filter) {
        StoredSecret stored = find(parent);
        Predicate<SecretVersion> matches = versionFilter(filter);
        List<SecretVersion> all = new ArrayList<>();
        Instant visibleBefore = clock.instant().minus(listLag);
        for (int i = stored.versions.size() - 1; i >= 0; i--) {
            SecretVersion v = settle(stored.versions.get(i)).version;
            boolean listed = !Instant.ofEpochSecond(v.getCreateTime().getSeconds(), v.getCreateTime().getNanos())
                    .isAfter(visibleBefore);
            if (listed && matches.test(v)) {
                all.add(v);
            }
        }
        Page page = Page.of(all.size(), pageSize, token, MAX_PAGE_SIZE);
        return ListSecretVersionsResponse.newBuilder().addAllVersions(all.subList(page.from(), page.to()))
                .setNextPageToken(page.nextToken()).setTotalSize(filter.isBlank() ? all.size() : 0).build();
    }

    public synchronized SecretVersion enable(String name, String etag) {
        SecretRules.numberedVersion(name);
        return transition(name, etag, SecretVersion.State.ENABLED);
    }

    public synchronized SecretVersion disable(String name, String etag) {
        SecretRules.numberedVersion(name);
        return transition(name, etag, SecretVersion.State.DISABLED);
    }

    /** With {@code version_destroy_ttl} set, destroy only disables and schedules (§1.2). */
    public synchronized SecretVersion destroy(String name, String etag) {
        SecretRules.numberedVersion(name);
        StoredVersion v = resolve(name);
        checkEtag(etag, v.version.getEtag(), "Secret Version [" + v.version.getName() + "]");
        requireNotDestroyed(v);
        StoredSecret owner = find(parentOf(v.version.getName()));
        Duration ttl = Duration.ofSeconds(owner.secret.getVersionDestroyTtl().getSeconds());
        SecretVersion.Builder b = v.version.toBuilder().setEtag(Etags.next());
        if (!ttl.isZero()) {
            b.setState(SecretVersion.State.DISABLED).setScheduledDestroyTime(at(clock.instant().plus(ttl)));
        } else {
            b.setState(SecretVersion.State.DESTROYED).setDestroyTime(now()).clearScheduledDestroyTime();
            v.data = null;
        }
        v.version = b.build();
        return v.version;
    }

    /** Test and seeding helper: how many secrets exist. */
    public synchronized int size() {
        return secrets.size();
    }

    private SecretVersion transition(String name, String etag, SecretVersion.State target) {
        StoredVersion v = resolve(name);
        checkEtag(etag, v.version.getEtag(), "Secret Version [" + v.version.getName() + "]");
        requireNotDestroyed(v);
        // Enabling or disabling cancels a scheduled destruction (gcp-api-facts §1.2).
        v.version = v.version.toBuilder().setState(target).clearScheduledDestroyTime().setEtag(Etags.next()).build();
        return v.version;
    }

    private static void requireNotDestroyed(StoredVersion v) {
        if (v.version.getState() == SecretVersion.State.DESTROYED) {
            throw failedPrecondition("Secret Version [" + v.version.getName() + "] is in DESTROYED state.");
        }
    }

    private StoredSecret find(String name) {
        Names.secret(name);
        String numbered = projects.withNumber(name);
        StoredSecret stored = expire(numbered) ? null : secrets.get(numbered);
        if (stored == null) {
            throw notFound("Secret [" + name + "] not found.");
        }
        return stored;
    }

    private StoredVersion resolve(String versionName) {
        String parent = parentOf(versionName);
        StoredSecret stored = find(parent);
        String id = versionName.substring(versionName.lastIndexOf('/') + 1);
        long number;
        if (id.equals("latest")) {
            number = stored.versions.size();
        } else if (id.chars().allMatch(Character::isDigit) && !id.isEmpty()) {
            number = Long.parseLong(id);
        } else {
            Long aliased = stored.secret.getVersionAliasesMap().get(id);
            number = aliased == null ? -1 : aliased;
        }
        if (number < 1 || number > stored.versions.size()) {
            throw notFound("Secret Version [" + versionName + "] not found.");
        }
        return settle(stored.versions.get((int) number - 1));
    }

    /**
     * Deletes the secret named (number form) if its {@code expire_time} has passed: "the secret and all its
     * versions are irreversibly deleted" at expiration (gcp-api-facts §1.7). True when it was deleted.
     */
    private boolean expire(String numbered) {
        StoredSecret stored = secrets.get(numbered);
        if (stored == null || !stored.secret.hasExpireTime()) {
            return false;
        }
        Timestamp at = stored.secret.getExpireTime();
        if (Instant.ofEpochSecond(at.getSeconds(), at.getNanos()).isAfter(clock.instant())) {
            return false;
        }
        secrets.remove(numbered);
        return true;
    }

    /** Applies a scheduled destruction whose time has come. */
    private StoredVersion settle(StoredVersion v) {
        if (v.version.hasScheduledDestroyTime()
                && !Instant.ofEpochSecond(v.version.getScheduledDestroyTime().getSeconds()).isAfter(clock.instant())) {
            v.version = v.version.toBuilder().setState(SecretVersion.State.DESTROYED)
                    .setDestroyTime(v.version.getScheduledDestroyTime()).clearScheduledDestroyTime().build();
            v.data = null;
        }
        return v;
    }

    private static String parentOf(String versionName) {
        int i = versionName.indexOf("/versions/");
        if (i < 0) {
            throw invalid("Invalid secret version name [" + versionName + "].");
        }
        return versionName.substring(0, i);
    }

    private static Predicate<SecretVersion> versionFilter(String filter) {
        if (filter.isBlank()) {
            return v -> true;
        }
        String f = filter.trim();
        if (f.startsWith("state:")) {
            String state = f.substring(6);
            return v -> v.getState().name().equals(state);
        }
        throw invalid("Invalid filter [" + filter + "]: the emulator supports state:STATE for versions.");
    }

    private static void checkEtag(String given, String current, String what) {
        if (given != null && !given.isEmpty() && !given.equals(current)) {
            throw failedPrecondition("The etag provided for " + what + " does not match the current etag.");
        }
    }

    private Timestamp now() {
        return at(clock.instant());
    }

    static Timestamp at(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
}
