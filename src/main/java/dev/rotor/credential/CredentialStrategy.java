package dev.rotor.credential;

import dev.rotor.policy.Kind;
import dev.rotor.policy.Policy;
import dev.rotor.secret.SecretRef;

/**
 * How one kind of credential is made, checked and undone. The engine owns ordering, state and retries; a
 * strategy only talks to the system that issues its credential.
 */
public interface CredentialStrategy {
    Kind kind();

    /** Makes a new credential. Called at most once per rotation attempt. */
    Minted mint(SecretRef ref, Policy policy);

    /** Proves the credential works before anyone can read it; throws with the reason if it does not. */
    void verify(Minted minted, Policy policy);

    /** Rebuilds what an interrupted attempt published, from the version's payload, so it can be adopted. */
    Minted adopt(byte[] payload, Policy policy);

    /** Undoes a credential that will not be published (for example deletes an unverified key). */
    default void discard(Minted minted, Policy policy) {
    }
}
