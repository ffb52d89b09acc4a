package dev.rotor.credential;

import java.time.Instant;
import java.util.Optional;

/**
 * A freshly made credential, before it is published. {@link #toString()} never shows the payload, so a
 * stray log line or exception message cannot leak it.
 */
public record Minted(byte[] payload, Optional<String> keyId, Optional<Instant> expiresAt) {
    @Override
    public String toString() {
        return "Minted[" + payload.length + " bytes, keyId=" + keyId.orElse("-") + ", expiresAt="
                + expiresAt.map(Instant::toString).orElse("-") + "]";
    }
}
