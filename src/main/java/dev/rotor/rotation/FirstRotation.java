package dev.rotor.rotation;

import dev.rotor.error.RemoteException;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import dev.rotor.secret.VersionInfo;

import java.time.Instant;
import java.util.Optional;

/**
 * A secret's very first rotation, which no fence protects: an alias must name a version, and there is none
 * yet, so the claim, the lease and the pending key live in the annotation alone, where Terraform's stale
 * snapshot (read before Rotor ever wrote the secret) erases them (docs/design.md §1.1). What makes it safe
 * instead is what nobody but Rotor writes: the secret's versions (Terraform never adds one, §9).
 * <ul>
 *   <li>Every version found before the first commit was added by an interrupted first attempt: the newest
 *       enabled one is adopted if it verifies, whatever the annotation says, so an erased claim never makes a
 *       second version.</li>
 *   <li>Two runs that both rotate the secret (the second one let in because the stale write erased the first
 *       one's lease) both publish; the lower version number wins. After its add, an attempt probes the numbers
 *       between what existed at its start and its own version: an enabled one there was published first, so this
 *       attempt disables its version and deletes its key. Google assigns numbers in order and access by number is
 *       the strongly consistent read (https://cloud.google.com/secret-manager/docs/reference/consistency), so
 *       of two versions the higher one's attempt always sees the lower one.</li>
 * </ul>
 */
final class FirstRotation {
    /** Numbers probed at most, as in {@link Publisher#MAX_PROBE}. */
    private static final int MAX_PROBE = Publisher.MAX_PROBE;
    private final SecretStore store;

    FirstRotation(SecretStore store) {
        this.store = store;
    }

    /** No version was ever committed and no fence exists: the annotation alone records the rotation. */
    static boolean applies(ManagedSecret secret, RotationState state) {
        return state.current() == null && StateFence.find(secret.aliases()).isEmpty();
    }

    /** What existed when the attempt began: the newest enabled version, and the highest number in any state. */
    record Found(Optional<Long> newestEnabled, long highest) {
    }

    Found found(SecretRef ref) {
        Long enabled = null;
        long highest = 0;
        for (long n = 1; n <= MAX_PROBE; n++) {
            try {
                store.access(ref, n);
                enabled = n;
            } catch (RemoteException.NotFound e) {
                break;
            } catch (RemoteException.FailedPrecondition e) {
                // disabled or destroyed: it exists, but there is nothing in it to adopt
            }
            highest = n;
        }
        return new Found(Optional.ofNullable(enabled), highest);
    }

    /** When the version was added, less the clock skew: the earliest its credential can have been made. */
    Instant addedAt(SecretRef ref, long version, Instant otherwise) {
        return store.version(ref, version).map(VersionInfo::createdAt).map(t -> t.minus(Publisher.CLOCK_SKEW))
                .orElse(otherwise);
    }

    /** An enabled version another attempt published between {@code highest} and {@code published}, if any. */
    Optional<Long> publishedFirst(SecretRef ref, long highest, long published) {
        for (long n = highest + 1; n < published; n++) {
            try {
                store.access(ref, n);
                return Optional.of(n);
            } catch (RemoteException.NotFound | RemoteException.FailedPrecondition e) {
                // not there (a lagging read cannot hide a lower number: see the class comment) or given up
            }
        }
        return Optional.empty();
    }
}
