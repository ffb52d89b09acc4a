package dev.rotor.rotation;

import dev.rotor.policy.Declaration;
import dev.rotor.policy.Policy;
import dev.rotor.policy.PolicyParser;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * A managed secret's declared policy and recorded state, read once, or the reason they cannot be. Runs,
 * audits, the listing and manual rotation all start here, so they judge a secret the same way.
 *
 * @param policy  null when the declaration does not parse
 * @param state   null when the policy or the state does not parse
 * @param problem null when both parsed; else why not, in the words the report shows
 */
record Declared(@Nullable Policy policy, @Nullable RotationState state, @Nullable String problem) {
    static final String CMEK_MISSING = "rotor.encryption is cmek, but the secret's replication has no "
            + "customer-managed key; Rotor will not write into it";

    static Declared read(ManagedSecret secret) {
        Declaration d = PolicyParser.parse(secret.annotations());
        if (d instanceof Declaration.Misconfigured(String reason)) {
            return new Declared(null, null, reason);
        }
        Policy policy = ((Declaration.Valid) d).policy();
        RotationState state;
        try {
            state = StateCodec.read(secret);
        } catch (IllegalArgumentException e) {
            return new Declared(policy, null, e.getMessage());
        }
        if (!state.sameIdentity(policy) && (!state.keyIds().isEmpty() || !state.pendingKeys().isEmpty())) {
            return new Declared(null, null, identityChanged(state, policy));
        }
        return new Declared(policy, state, null);
    }

    /**
     * The kind, account or audience changed while Rotor still holds service-account keys made under the old one:
     * carrying on would retire them through the new account, where they are not, and leave them live. Rotor
     * touches nothing until the declaration names the old credential again (docs/design.md §1.1).
     */
    private static String identityChanged(RotationState state, Policy policy) {
        return "the declared credential changed from " + state.identity() + " to " + RotationState.identityOf(policy)
                + " while Rotor still holds keys made under the old one (versions " + state.keyIds().keySet()
                + ", uncommitted " + state.pendingKeys() + "); Rotor changes nothing until it is restored. To move to"
                + " another account or kind, declare a new secret and remove this one once its consumers have moved";
    }

    /** The consumers {@code secret} declares now, or {@code fallback} while its declaration does not parse. */
    static List<String> consumers(ManagedSecret secret, Policy fallback) {
        Declared now = read(secret);
        return now.policy() == null ? fallback.consumers() : now.policy().consumers();
    }

    boolean ok() {
        return problem == null;
    }

    /** The recorded state, or a new one when it is missing or unreadable (for display only). */
    RotationState stateOrNew() {
        return state == null ? RotationState.NEW : state;
    }

    /** The declaration asks for CMEK, but the secret is not encrypted with a customer-managed key. */
    static boolean cmekMissing(Policy policy, ManagedSecret secret) {
        return policy.encryption().filter("cmek"::equals).isPresent() && secret.cmekKey().isEmpty();
    }
}
