package dev.rotor.credential;

import java.time.Instant;
import java.util.List;

/** The port to IAM Admin: a service account's user-managed keys. */
public interface ServiceAccountKeys {
    /** A key's metadata. */
    record KeyInfo(String id, boolean disabled, Instant validAfter) {
    }

    /** A new key: its id and JSON key file; {@link #toString()} never shows the file. */
    record CreatedKey(String id, byte[] json) {
        @Override
        public String toString() {
            return "CreatedKey[" + id + "]";
        }
    }

    List<KeyInfo> userManaged(String serviceAccount);

    /** Not idempotent: a timed-out create may still have made a key (gcp-api-facts §4). */
    CreatedKey create(String serviceAccount);

    void disable(String serviceAccount, String keyId);

    void enable(String serviceAccount, String keyId);

    /** Deletes the key; a key that is already gone is not an error. */
    void delete(String serviceAccount, String keyId);
}
