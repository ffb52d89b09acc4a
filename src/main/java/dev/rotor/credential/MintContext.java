package dev.rotor.credential;

import dev.rotor.policy.RotationState;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

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
