package dev.rotor.rotation;

import dev.rotor.consumer.Consumers;
import dev.rotor.credential.CredentialStrategy;
import dev.rotor.credential.Minted;
import dev.rotor.credential.ServiceAccountKeys;
import dev.rotor.error.RemoteException;
import dev.rotor.policy.Kind;
import dev.rotor.policy.Policy;
import dev.rotor.policy.RotationState;
import dev.rotor.policy.RotationState.Phase;
import dev.rotor.rotation.ManualRotation.Refused;
import dev.rotor.secret.Envelopes;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import dev.rotor.secret.VersionInfo;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An operator's rollback after a bad rotation (DESIGN §3): the previous version's credential becomes current
 * again, consumers roll to it, and the version rolled back from is disabled. The newest version is never
 * disabled to do it ({@code latest} is the newest version in any state and reading a disabled one fails,
 * gcp-api-facts §1.2), so the previous payload is added again as a new version, which then holds that
 * credential (and its key id, so retiring the old version later never disables the key in use). Refused, with
 * nothing changed, when there is no usable previous version: none recorded, not enabled, a token that
 * expired, a key that is disabled or gone.
 */
@Singleton
public final class Rollback {
    private static final Logger AUDIT = LoggerFactory.getLogger("dev.rotor.audit");
    private static final Logger LOG = LoggerFactory.getLogger(Rollback.class);

    private final SecretStore store;
    private final Strategies strategies;
    private final Envelopes envelopes;
    private final ServiceAccountKeys keys;
    private final Roller roller;
    private final Publisher publisher;
    private final Clock clock;
    private final RotationProperties properties;

    Rollback(SecretStore store, Strategies strategies, Envelopes envelopes, ServiceAccountKeys keys, Roller roller,
             Clock clock, RotationProperties properties) {
        this.store = store;
        this.strategies = strategies;
        this.envelopes = envelopes;
        this.keys = keys;
        this.roller = roller;
        this.publisher = new Publisher(store);
        this.clock = clock;
        this.properties = properties;
    }

    public SecretResult rollBack(SecretRef ref, String actor, String reason) {
        String runId = "rollback-" + UUID.randomUUID();
        try (var scope = StateLog.manual(runId, actor, reason)) {
            return rollBack(ref, actor, reason, runId);
        }
    }

    private SecretResult rollBack(SecretRef ref, String actor, String reason, String runId) {
        long started = System.nanoTime();
        ManagedSecret secret = store.get(ref);
        Declared d = ManualRotation.readable(ref, secret);
        Policy policy = d.policy();
        RotationState state = d.state();
        Instant now = clock.instant();
        if (state.leased(now) || state.phase() == Phase.ROTATING) {
            throw new Refused("a rotation of " + ref + " is in progress or was interrupted before its commit; "
                    + "the next run finishes it; roll back after that");
        }
        if (state.current() == null || state.previous() == null) {
            throw new Refused(ref + " has no previous version to roll back to");
        }
        long from = state.current();
        long to = state.previous();
        // by number, never through the listing: a version added moments ago may be missing from it (gcp-api-facts
        // §1.7, docs/emulator.md "Lists lag behind writes")
        VersionInfo target = store.version(ref, to)
                .orElseThrow(() -> new Refused("previous version " + to + " of " + ref + " no longer exists"));
        if (!target.enabled()) {
            throw new Refused("previous version " + to + " of " + ref + " is " + target.state() + "; Rotor does not "
                    + "re-enable a retired credential; rotate instead");
        }
        byte[] stored = store.access(ref, to);
        Minted old = usable(ref, policy, strategies.of(policy.kind()), stored, target, now);
        AUDIT.warn("rollback of {} from version {} to the credential of version {} requested by {}: {}", ref, from, to,
                actor, reason);

        RotationState claim = state.claimed(runId, UUID.randomUUID().toString(), now,
                now.plus(properties.lease())).requested(actor, reason);
        try {
            secret = StateCodec.save(store, secret, claim);
        } catch (RemoteException.Conflict e) {
            throw new Refused(ref + " changed while Rotor tried to claim it; nothing was changed; try again");
        }
        long added = publisher.publish(ref, stored, from, now);
        publisher.readBack(ref, added, stored);

        Map<String, String> keyIds = new HashMap<>(claim.keyIds());
        keyIds.remove(Long.toString(to)); // the key now belongs to the new version
        old.keyId().ifPresent(id -> keyIds.put(Long.toString(added), id));
        Phase next = policy.consumers().isEmpty() ? Phase.IDLE : Phase.ROLLING;
        // the schedule restarts from the rollback: rotating again at once would undo what the operator asked for
        RotationState committed = claim.committed(added, now, old.expiresAt().orElse(null), keyIds, next, now);
        Map<String, Long> aliases = new HashMap<>(secret.aliases());
        aliases.put("current", added);
        aliases.put("previous", from);
        secret = publisher.commit(ref, secret.etag(), StateCodec.write(secret.annotations(), committed),
                StateCodec.aliases(aliases, committed), committed);

        LeaseKeeper held = new LeaseKeeper(store, clock, properties.lease(), secret, committed);
        List<Consumers.Outcome> rolled = roller.roll(committed.unrolled(policy.consumers()), policy, ref, added,
                held::renewIfDue);
        Map<String, Long> served = new HashMap<>(held.state().rolled());
        rolled.stream().filter(Consumers.Outcome::ok).forEach(o -> served.put(o.target(), added));
        RotationState after = held.state().withRolled(served);
        List<String> notRolled = rolled.stream().filter(o -> !o.ok()).map(Consumers.Outcome::target).toList();
        String error = null;
        if (notRolled.isEmpty()) {
            retire(ref, policy, keyIds, from, old);
        } else {
            error = "version " + added + " holds the credential of version " + to + " and is current, but "
                    + notRolled + " did not roll; version " + from + " stays enabled until they do, and the next run "
                    + "retries the roll";
        }
        // retirement of the rest is due now: the next run re-plans it with the usual rules
        RotationState done = after.settled(notRolled.isEmpty() ? Phase.IDLE : Phase.ROLLING,
                error == null ? "rolled back from version " + from : "failed: " + error, now, false);
        StateCodec.save(store, held.secret(), done);
        AUDIT.warn("rollback of {} requested by {}: version {} is current{}", ref, actor, added,
                error == null ? "" : " (" + error + ")");
        return new SecretResult(ref.project(), ref.secret(), policy.kind().label(), "rollback",
                error == null ? SecretResult.ROLLED_BACK : SecretResult.FAILED, from, added, rolled, error,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The previous credential, if it still works: a token unexpired, a key still enabled. */
    private Minted usable(SecretRef ref, Policy policy, CredentialStrategy strategy, byte[] stored, VersionInfo v,
                          Instant now) {
        Minted old = strategy.adopt(envelopes.open(ref, policy, stored), policy, v.createdAt());
        if (old.expiresAt().isPresent() && !old.expiresAt().get().isAfter(now)) {
            throw new Refused("the token in previous version " + v.number() + " of " + ref + " expired at "
                    + old.expiresAt().get() + "; rotate instead");
        }
        if (policy.kind() == Kind.SERVICE_ACCOUNT_KEY) {
            String id = old.keyId().orElseThrow();
            // by id, never through the listing, which may lack a key created moments ago (gcp-api-facts §4)
            ServiceAccountKeys.KeyInfo key = keys.get(policy.serviceAccount().orElseThrow(), id).orElseThrow(
                    () -> new Refused("the key " + id + " in previous version " + v.number() + " of " + ref
                            + " no longer exists; rotate instead"));
            if (key.disabled()) {
                throw new Refused("the key " + id + " in previous version " + v.number() + " of " + ref
                        + " is disabled; Rotor does not re-enable a retired key; rotate instead");
            }
        }
        return old;
    }

    /** Disables the version rolled back from, and its key unless that is the credential now current. */
    private void retire(SecretRef ref, Policy policy, Map<String, String> keyIds, long from, Minted current) {
        String keyId = keyIds.get(Long.toString(from));
        if (keyId != null && !current.keyId().map(keyId::equals).orElse(false)) {
            strategies.of(policy.kind()).retired(policy, keyId);
        }
        store.disable(ref, from);
        LOG.info("disabled version {} of {} after the rollback{}", from, ref, keyId == null ? "" : ", and key " + keyId);
    }
}
