package dev.rotor.rotation;

import dev.rotor.credential.CredentialStrategy;
import dev.rotor.credential.Minted;
import dev.rotor.error.RemoteException;
import dev.rotor.policy.Policy;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.Envelopes;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import dev.rotor.secret.VersionInfo;

import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.NoSuchElementException;
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
    private static final Logger LOG = LoggerFactory.getLogger(FirstRotation.class);
    private final SecretStore store;
    private final Envelopes envelopes;

    FirstRotation(SecretStore store, Envelopes envelopes) {
        this.store = store;
        this.envelopes = envelopes;
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

    /**
     * A version found before the first commit, whatever the annotation says (a stale write may have erased the
     * claim that made it): rebuilt and verified, else null and a new credential is minted. Its credential was made
     * at the earliest a clock skew before the version was added.
     */
    @Nullable Minted adopt(SecretRef ref, Policy policy, CredentialStrategy strategy, long version) {
        try {
            Instant since = store.version(ref, version).map(VersionInfo::createdAt).orElseThrow()
                    .minus(Publisher.CLOCK_SKEW);
            Minted found = strategy.adopt(envelopes.open(ref, policy, store.access(ref, version)), policy, since);
            strategy.verify(found, policy);
            return found;
        } catch (IllegalStateException | IllegalArgumentException | NoSuchElementException e) {
            LOG.warn("version {} of {} predates Rotor's first commit but does not verify ({}); a new one is minted "
                    + "and it is left as it is", version, ref, e.getMessage());
            return null;
        }
    }

    /**
     * Of two runs rotating an unfenced secret at once, the lower version wins: when another attempt published an
     * enabled version between {@code highest} and this attempt's {@code version}, this one disables its version,
     * discards its credential and throws. Returns normally when this attempt is first.
     */
    void yieldToEarlier(SecretRef ref, Policy policy, CredentialStrategy strategy, long highest, long version,
                     Minted minted) {
        Optional<Long> earlier = publishedFirst(ref, highest, version);
        if (earlier.isEmpty()) {
            return;
        }
        store.disable(ref, version);
        strategy.discard(minted, policy);
        throw new IllegalStateException("another run published version " + earlier.get() + " of " + ref
                + " first; this attempt's version " + version + " is disabled and its credential discarded");
    }

    /** An enabled version another attempt published between {@code highest} and {@code published}, if any. */
    private Optional<Long> publishedFirst(SecretRef ref, long highest, long published) {
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
