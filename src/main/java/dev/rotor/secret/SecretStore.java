package dev.rotor.secret;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The port to Secret Manager: only what Rotor needs, in Rotor's own records. Failures are
 * {@link dev.rotor.error.RemoteException}s; messages never carry payloads.
 */
public interface SecretStore {
    /** Every secret labelled {@code rotor=managed} in the project, one list call per 25,000. */
    List<ManagedSecret> listManaged(String project);

    ManagedSecret get(SecretRef ref);

    /** Adds a version with a CRC32C the server verifies; not idempotent: a retry may duplicate it. */
    long addVersion(SecretRef ref, byte[] payload);

    /** Reads a version by number (strongly consistent right after an add, gcp-api-facts §1.7). */
    byte[] access(SecretRef ref, long version);

    /**
     * One version's metadata by number (GetSecretVersion); empty when it does not exist or does not show
     * yet. Only access by number is documented as strongly consistent (gcp-api-facts §1.7).
     */
    Optional<VersionInfo> version(SecretRef ref, long number);

    /** Versions, newest first. A list: eventually consistent, so a version just added may be missing. */
    List<VersionInfo> versions(SecretRef ref);

    /** Replaces annotations and aliases in one update guarded by {@code etag}; Conflict on mismatch. */
    ManagedSecret update(SecretRef ref, String etag, Map<String, String> annotations, Map<String, Long> aliases);

    void disable(SecretRef ref, long version);

    void enable(SecretRef ref, long version);

    /** Destroys, or with a destroy TTL on the secret disables and schedules destruction. */
    void destroy(SecretRef ref, long version);
}
