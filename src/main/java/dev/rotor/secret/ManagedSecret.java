package dev.rotor.secret;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A secret as Rotor sees it: annotations (policy and state), aliases, the etag that guards updates, and the
 * encryption facts the policy checks against. {@code managed}: it carries the label {@code rotor=managed}.
 */
public record ManagedSecret(
        SecretRef ref,
        Map<String, String> annotations,
        Map<String, Long> aliases,
        String etag,
        Instant createdAt,
        Optional<String> cmekKey,
        Duration versionDestroyTtl,
        boolean managed) {

    public ManagedSecret {
        annotations = Map.copyOf(annotations);
        aliases = Map.copyOf(aliases);
    }
}
