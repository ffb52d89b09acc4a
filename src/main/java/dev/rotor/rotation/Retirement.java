package dev.rotor.rotation;

import dev.rotor.credential.CredentialStrategy;
import dev.rotor.error.RemoteException;
import dev.rotor.policy.Kind;
import dev.rotor.policy.Policy;
import dev.rotor.policy.RetirePlan;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import dev.rotor.secret.VersionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Carries out a {@link RetirePlan}, versions and the credentials in them alike: a retired key version also
 * gets its key disabled, a destroyed one its key deleted. When the secret has a {@code version_destroy_ttl},
 * one DestroySecretVersion call disables the version now and destroys it after the TTL (gcp-api-facts
 * §1.2), so retirement costs one write instead of two; key kinds do not use it, because their keys must be
 * deleted when the version is destroyed, and only an explicit destroy tells Rotor when that is.
 */
final class Retirement {
    private static final Logger LOG = LoggerFactory.getLogger(Retirement.class);
    private final SecretStore store;
    private final Strategies strategies;

    Retirement(SecretStore store, Strategies strategies) {
        this.store = store;
        this.strategies = strategies;
    }

    /**
     * Retirement alone, when {@code retireAt} has come and nothing else is due. Disabling twice is harmless,
     * so no claim is needed; the state update is etag-guarded and skipped when another run wrote first.
     */
    SecretResult alone(ManagedSecret secret, Policy policy, RotationState state, Instant now) {
        long started = System.nanoTime();
        SecretRef ref = secret.ref();
        try {
            // a revoke whose retirement failed is still owed: it is carried out here, whatever grace says
            RetirePlan plan = plan(secret, policy, state.current(), state.held(policy.consumers()), now,
                    state.revokePending());
            execute(secret, plan, state.revokePending(), policy, state.keyIds(), state.current());
            // the plan already knows what falls due next once it is carried out
            RotationState next = state.idle(state.lastOutcome(), plan.nextDue().orElse(null));
            try {
                StateCodec.save(store, secret, next);
            } catch (RemoteException.Conflict e) {
                LOG.info("{} changed during retirement; the next run re-plans it", ref);
            }
            return new SecretResult(ref.project(), ref.secret(), policy.kind().label(), "retire",
                    plan.isEmpty() ? SecretResult.UNCHANGED : SecretResult.RETIRED, state.current(), state.current(),
                    List.of(), null, (System.nanoTime() - started) / 1_000_000);
        } catch (RemoteException e) {
            String error = e.getMessage() + "; current stays " + state.current() + " and nothing newer was retired";
            return new SecretResult(ref.project(), ref.secret(), policy.kind().label(), "retire", SecretResult.FAILED,
                    state.current(), state.current(), List.of(), error, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** What is due now for a secret in {@code state}, whose current version is {@code current}. */
    RetirePlan plan(ManagedSecret secret, Policy policy, long current, Set<Long> held, Instant now, boolean revoke) {
        return plan(store.versions(secret.ref()), secret, policy, current, held, now, revoke);
    }

    RetirePlan plan(List<VersionInfo> versions, ManagedSecret secret, Policy policy, long current, Set<Long> held,
                    Instant now, boolean revoke) {
        return RetirePlan.of(versions, current, held, policy, now, revoke, scheduled(secret, policy));
    }

    /**
     * Carries the plan out. An emergency revoke deletes the keys of the versions it disables (a disabled key can
     * be enabled again by anyone with the permission; a deleted one cannot), and disables rather than schedules
     * destruction, so the versions stay for forensics until {@code retain}. A key the current version also
     * holds (after a rollback re-added its payload) is never touched.
     */
    void execute(ManagedSecret secret, RetirePlan plan, boolean revoke, Policy policy, Map<String, String> keyIds,
                 long current) {
        SecretRef ref = secret.ref();
        boolean scheduled = scheduled(secret, policy) && !revoke;
        CredentialStrategy strategy = strategies.of(policy.kind());
        String currentKey = keyIds.get(Long.toString(current));
        for (long v : plan.disable()) {
            // the credential first, then the version: a retry re-plans from the versions, so a version that is
            // disabled always holds a credential that is disabled too
            String keyId = keyIds.get(Long.toString(v));
            keyId = keyId == null || keyId.equals(currentKey) ? null : keyId;
            if (keyId != null && revoke) {
                strategy.destroyed(policy, keyId);
            } else if (keyId != null) {
                strategy.retired(policy, keyId);
            }
            if (scheduled) {
                store.destroy(ref, v);
            } else {
                store.disable(ref, v);
            }
            LOG.info("retired version {} of {}{}{}", v, ref, scheduled ? " (destruction scheduled)" : "",
                    keyId == null ? "" : (revoke ? " and deleted key " : " and disabled key ") + keyId);
        }
        for (long v : plan.destroy()) {
            String keyId = keyIds.get(Long.toString(v));
            keyId = keyId == null || keyId.equals(currentKey) ? null : keyId;
            if (keyId != null) {
                strategy.destroyed(policy, keyId);
            }
            store.destroy(ref, v);
            LOG.info("destroyed version {} of {}{}", v, ref, keyId == null ? "" : " and deleted key " + keyId);
        }
    }

    private static boolean scheduled(ManagedSecret secret, Policy policy) {
        return !secret.versionDestroyTtl().isZero() && policy.kind() != Kind.SERVICE_ACCOUNT_KEY;
    }
}
