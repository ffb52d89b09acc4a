package dev.rotor.api.auth;

import com.nimbusds.jose.jwk.RSAKey;

import java.util.Optional;

/** Where the public keys that sign ID tokens come from. */
public interface JwksSource {
    /** The key with this id; a source may refresh its cache once when it does not know the id. */
    Optional<RSAKey> key(String keyId);
}
