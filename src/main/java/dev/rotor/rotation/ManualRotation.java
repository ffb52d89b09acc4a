package dev.rotor.rotation;

import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.UUID;

/**
 * An operator's "rotate now" (DESIGN §3): the same lifecycle as a scheduled rotation, started at once,
 * optionally disabling every previous version as soon as the new one is committed and rolled. Who asked and
 * why go to the audit log and into the secret's state.
 */
@Singleton
public final class ManualRotation {
    private static final Logger AUDIT = LoggerFactory.getLogger("dev.rotor.audit");

    /** The request cannot be carried out as asked; nothing was changed. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    static final int CLAIM_ATTEMPTS = 3;
    private final SecretStore store;
    private final Rotator rotator;
    private final Clock clock;

    public ManualRotation(SecretStore store, Rotator rotator, Clock clock) {
        this.store = store;
        this.rotator = rotator;
        this.clock = clock;
    }

    /**
     * Always mints a new credential, even while a roll of the current one is pending, so the report's
     * {@code toVersion} names it. A claim lost to another writer between the read and the claim is retried on a
     * fresh read; when the secret stays taken, the call is refused (409) and changes nothing.
     */
    public SecretResult rotate(SecretRef ref, String actor, String reason, boolean revokePrevious) {
        String runId = "manual-" + UUID.randomUUID();
        try (var scope = StateLog.manual(runId, actor, reason)) {
            return rotate(ref, actor, reason, revokePrevious, runId);
        }
    }

    private SecretResult rotate(SecretRef ref, String actor, String reason, boolean revokePrevious, String runId) {
        for (int attempt = 1; ; attempt++) {
            ManagedSecret secret = store.get(ref);
            Declared d = readable(ref, secret);
            RotationState state = d.state();
            if (state.leased(clock.instant())) {
                throw new Refused("a rotation of " + ref + " is in progress (run " + state.leaseHolder()
                        + " holds it until " + state.leaseExpiry() + "); try again after that");
            }
            AUDIT.warn("manual rotation of {} requested by {} (revokePrevious={}): {}", ref, actor, revokePrevious,
                    reason);
            SecretResult result = rotator.rotate(secret, d.policy(), state.requested(actor, reason),
                    new Rotator.Request(runId, revokePrevious, true));
            if (result.outcome().equals(SecretResult.SKIPPED_LOCKED)) {
                if (attempt < CLAIM_ATTEMPTS) {
                    continue;
                }
                throw new Refused(ref + " kept changing while Rotor tried to claim it (" + CLAIM_ATTEMPTS
                        + " attempts); nothing was changed; try again");
            }
            AUDIT.warn("manual rotation of {} requested by {}: {}{}", ref, actor, result.outcome(),
                    result.error() == null ? "" : " (" + result.error() + ")");
            return result;
        }
    }

    /** The secret as Rotor may act on it, or the reason it may not. */
    static Declared readable(SecretRef ref, ManagedSecret secret) {
        if (!secret.managed()) {
            throw new Refused(ref + " is not managed by Rotor: it lacks the label rotor=managed");
        }
        Declared d = Declared.read(secret);
        if (!d.ok()) {
            throw new Refused(ref + " is misconfigured: " + d.problem());
        }
        if (Declared.cmekMissing(d.policy(), secret)) {
            throw new Refused(ref + ": " + Declared.CMEK_MISSING);
        }
        return d;
    }
}
