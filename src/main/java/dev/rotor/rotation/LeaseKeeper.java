package dev.rotor.rotation;

import dev.rotor.error.RemoteException;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps a claim alive while consumers roll (each may take minutes): once half the lease is spent it is extended
 * by an etag-guarded UpdateSecret, so no other run takes the secret over mid-roll. Holds the secret and state as
 * last written, so the caller's next write uses the right etag. Used from one thread only.
 */
final class LeaseKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
    private final SecretStore store;
    private final Clock clock;
    private final Duration lease;
    private ManagedSecret secret;
    private RotationState state;

    LeaseKeeper(SecretStore store, Clock clock, Duration lease, ManagedSecret secret, RotationState state) {
        this.store = store;
        this.clock = clock;
        this.lease = lease;
        this.secret = secret;
        this.state = state;
    }

    void renewIfDue() {
        Instant now = clock.instant();
        if (state.leaseExpiry() != null && now.isBefore(state.leaseExpiry().minus(lease.dividedBy(2)))) {
            return;
        }
        RotationState renewed = state.withLease(state.leaseHolder(), now.plus(lease));
        try {
            secret = StateCodec.save(store, secret, renewed);
            state = renewed;
            LOG.info("renewed the lease on {} until {} while consumers roll", secret.ref(), renewed.leaseExpiry());
        } catch (RemoteException e) {
            LOG.warn("could not renew the lease on {} (it lasts until {}): {}", secret.ref(), state.leaseExpiry(),
                    e.getMessage());
        }
    }

    ManagedSecret secret() {
        return secret;
    }

    RotationState state() {
        return state;
    }
}
