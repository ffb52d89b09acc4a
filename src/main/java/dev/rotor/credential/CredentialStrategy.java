package dev.rotor.credential;

import dev.rotor.policy.Kind;
import dev.rotor.policy.Policy;
import dev.rotor.secret.SecretRef;

import java.time.Instant;
import java.util.Optional;

/**
 * How one kind of credential is made, checked and undone. The engine owns ordering, state and retries; a
 * strategy only talks to the system that issues its credential.
 */
public interface CredentialStrategy {
    Kind kind();

    /** Makes a new credential. Called at most once per rotation attempt. */
    Minted mint(SecretRef ref, Policy policy, MintContext context);

    /** Proves the credential works before anyone can read it; throws with the reason if it does not. */
    void verify(Minted minted, Policy policy);

    /**
     * Rebuilds what an interrupted attempt published, from the version's payload, so it can be adopted.
     * {@code since}: the attempt began then, so the credential was made no earlier.
     */
    Minted adopt(byte[] payload, Policy policy, Instant since);

    /**
     * Before minting or adopting: undoes what earlier attempts made and recorded as pending but never
     * committed (see {@link MintContext.Made}), except the credential {@code adopted} is taking over.
     */
    default void undoUnpublished(Policy policy, MintContext context, Optional<String> adopted) {
    }

    /** Undoes a credential that will not be published (for example deletes an unverified key). */
    default void discard(Minted minted, Policy policy) {
    }

    /** The version holding credential {@code keyId} was disabled: make the credential stop working too. */
    default void retired(Policy policy, String keyId) {
    }

    /** The version holding credential {@code keyId} was destroyed: delete the credential. */
    default void destroyed(Policy policy, String keyId) {
    }
}
