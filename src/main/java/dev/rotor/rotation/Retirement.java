package dev.rotor.rotation;

import dev.rotor.policy.Policy;
import dev.rotor.policy.RetirePlan;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * Carries out a {@link RetirePlan}. When the secret has a {@code version_destroy_ttl}, one
 * DestroySecretVersion call disables the version now and destroys it after the TTL (gcp-api-facts §1.2),
 * so retirement costs one write instead of two.
 */
final class Retirement {
    private static final Logger LOG = LoggerFactory.getLogger(Retirement.class);
    private final SecretStore store;

    Retirement(SecretStore store) {
        this.store = store;
    }

    /** What is due now for a secret whose current version is {@code current}. */
    RetirePlan plan(ManagedSecret secret, Policy policy, long current, Instant now, boolean revoke) {
        return RetirePlan.of(store.versions(secret.ref()), current, policy, now, revoke,
                !secret.versionDestroyTtl().isZero());
    }

    void execute(ManagedSecret secret, RetirePlan plan, boolean revoke) {
        SecretRef ref = secret.ref();
        boolean scheduled = !secret.versionDestroyTtl().isZero();
        for (long v : plan.disable()) {
            if (scheduled && !revoke) {
                store.destroy(ref, v);
            } else {
                store.disable(ref, v);
            }
            LOG.info("retired version {} of {}{}", v, ref, scheduled && !revoke ? " (destruction scheduled)" : "");
        }
        for (long v : plan.destroy()) {
            store.destroy(ref, v);
            LOG.info("destroyed version {} of {}", v, ref);
        }
    }
}
