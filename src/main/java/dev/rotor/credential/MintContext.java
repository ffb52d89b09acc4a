package dev.rotor.credential;

import dev.rotor.policy.RotationState;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Set;

/**
 * What a strategy may need to know when minting: the recorded state (which keys Rotor made, for which
 * versions, and which keys earlier attempts made but never committed), when the unresolved attempts began
 * ({@code resumeSince}, null for a fresh rotation), and where to record a credential the moment it exists.
 */
public record MintContext(RotationState state, @Nullable Instant resumeSince, Made made) {
    /**
     * The write-ahead record of an attempt (STYLE "Habits to absorb next" 1). Google assigns a key's id, so
     * the id cannot be written before the create; it is written right after, before anything else can fail.
     */
    public interface Made {
        /** Durably records a key just made; throws when it could not be recorded. */
        void made(String keyId);

        /** The key was deleted (or found gone): forget it with the next state write. */
        void undone(String keyId);

        /**
         * The ids of the account's user-managed keys as listed just before a create (after any made room):
         * a committed key id not among them is gone, and the commit forgets it, which keeps the record of key
         * ids within IAM's 10 keys however long {@code rotor.retain} keeps their versions.
         */
        default void listed(Set<String> keyIds) {
        }
    }

    /** Records nothing: for callers that keep no state (tests of a strategy alone). */
    public static final Made NOT_RECORDED = new Made() {
        @Override
        public void made(String keyId) {
        }

        @Override
        public void undone(String keyId) {
        }
    };
}
