package dev.rotor.local;

import com.nimbusds.jose.jwk.RSAKey;
import dev.rotor.api.auth.JwksSource;
import dev.rotor.api.auth.RemoteJwks;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * With the emulator on and no {@code rotor.auth.jwks-uri} configured, ID tokens are verified against the
 * emulator's own signing key, read in-process.
 */
@Singleton
@Replaces(RemoteJwks.class)
@Requires(property = "rotor.emulator.enabled", value = "true")
@Requires(missingProperty = "rotor.auth.jwks-uri")
public class EmulatorJwks implements JwksSource {
    private final Emulator emulator;

    public EmulatorJwks(Emulator emulator) {
        this.emulator = emulator;
    }

    @Override
    public Optional<RSAKey> key(String keyId) {
        RSAKey key = emulator.oidc().publicKey();
        return key.getKeyID().equals(keyId) ? Optional.of(key) : Optional.empty();
    }
}
