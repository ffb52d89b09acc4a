package dev.rotor.credential;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The port to IAM Admin: a service account's user-managed keys. */
public interface ServiceAccountKeys {
    /**
     * A key's metadata. {@code validBefore} is empty for a key that never expires; it is set when the
     * organisation policy {@code constraints/iam.serviceAccountKeyExpiryHours} caps new keys' lives
     * (gcp-api-facts §4).
     */
    record KeyInfo(String id, boolean disabled, Instant validAfter, Optional<Instant> validBefore) {
    }

    /** A new key: its id, JSON key file and expiry; {@link #toString()} never shows the file. */
    record CreatedKey(String id, byte[] json, Optional<Instant> validBefore) {
        @Override
        public String toString() {
            return "CreatedKey[" + id + "]";
        }
    }

    /** The account's user-managed keys. A list: eventually consistent, a new key may be missing (§4). */
    List<KeyInfo> userManaged(String serviceAccount);

    /** One key by id; empty when it does not exist (or does not show yet: IAM reads are eventually consistent). */
    Optional<KeyInfo> get(String serviceAccount, String keyId);

    /** Not idempotent: a timed-out create may still have made a key (gcp-api-facts §4). */
    CreatedKey create(String serviceAccount);

    /** Disables the key; a key that is already gone is not an error (a gone key cannot work either). */
    void disable(String serviceAccount, String keyId);

    void enable(String serviceAccount, String keyId);

    /** Deletes the key; a key that is already gone is not an error. */
    void delete(String serviceAccount, String keyId);
}
