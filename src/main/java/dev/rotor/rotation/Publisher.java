package dev.rotor.rotation;

import dev.rotor.error.RemoteException;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import dev.rotor.secret.VersionInfo;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Publishing and committing without duplicates. AddSecretVersion has no etag and no request id
 * (gcp-api-facts §1.3), so after an ambiguous failure Rotor first looks for the version the failed call may
 * have added; an ambiguous commit is checked by reading the state back. "Did it land?" is asked by version
 * number, never by listing: "adding a secret version and then immediately accessing that secret version by
 * version number is a strongly consistent operation. Other operations within Secret Manager are eventually
 * consistent" (https://cloud.google.com/secret-manager/docs/reference/consistency), and a list that misses
 * the new version would make Rotor add a duplicate.
 */
final class Publisher {
    /** Google's clock and ours may differ a little; versions this close before the claim still count. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    /** Numbers probed above the current version at most: far more than attempts could ever have added. */
    static final int MAX_PROBE = 50;
    private final SecretStore store;

    Publisher(SecretStore store) {
        this.store = store;
    }

    long publish(SecretRef ref, byte[] payload, Long current, Instant claimedAt) {
        try {
            return store.addVersion(ref, payload);
        } catch (RemoteException.Retryable e) {
            Optional<Long> landed = findLanded(ref, current, claimedAt);
            if (landed.isPresent()) {
                if (MessageDigest.isEqual(store.access(ref, landed.get()), payload)) {
                    return landed.get();
                }
                throw new IllegalStateException("AddSecretVersion " + ref + " failed ambiguously and version "
                        + landed.get() + " holds another value; refusing to guess", e);
            }
            return store.addVersion(ref, payload);
        }
    }

    /**
     * The newest enabled version above {@code current} created since the claim: an attempt's own version.
     * Probes numbers {@code current + 1, current + 2, ...} by access (strongly consistent) until one does not
     * exist; a disabled or destroyed number is skipped. The creation time comes from GetSecretVersion; when
     * that does not show the version yet, the version is seconds old and so counts as the attempt's.
     */
    Optional<Long> findLanded(SecretRef ref, Long current, Instant claimedAt) {
        long floor = current == null ? 0 : current;
        Instant since = claimedAt == null ? Instant.MIN : claimedAt.minus(CLOCK_SKEW);
        Long newest = null;
        for (long n = floor + 1; n <= floor + MAX_PROBE; n++) {
            try {
                store.access(ref, n);
            } catch (RemoteException.NotFound e) {
                break;
            } catch (RemoteException.FailedPrecondition e) {
                continue; // disabled or destroyed: not a version an attempt left to adopt
            }
            Optional<VersionInfo> info = store.version(ref, n);
            if (info.isEmpty() || !info.get().createdAt().isBefore(since)) {
                newest = n;
            }
        }
        return Optional.ofNullable(newest);
    }

    /** Reads the version back by its number, never through {@code latest} (gcp-api-facts §1.7). */
    void readBack(SecretRef ref, long version, byte[] expected) {
        if (!MessageDigest.isEqual(store.access(ref, version), expected)) {
            throw new IllegalStateException("version " + version + " of " + ref + " does not hold the value written");
        }
    }

    ManagedSecret commit(SecretRef ref, String etag, Map<String, String> annotations, Map<String, Long> aliases,
                         RotationState target) {
        try {
            return store.update(ref, etag, annotations, aliases);
        } catch (RemoteException.Conflict | RemoteException.Retryable e) {
            ManagedSecret seen = store.get(ref);
            RotationState recorded = StateCodec.read(seen);
            if (target.current().equals(recorded.current()) && target.attemptId() != null
                    && target.attemptId().equals(recorded.attemptId())) {
                return seen;
            }
            throw e;
        }
    }
}
