package dev.rotor.rotation;

import dev.rotor.credential.CredentialStrategy;
import dev.rotor.policy.Kind;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The credential strategy for each kind; a kind with none (a wiring bug) fails with that reason. */
@Singleton
public final class Strategies {
    private final Map<Kind, CredentialStrategy> byKind = new EnumMap<>(Kind.class);

    public Strategies(List<CredentialStrategy> strategies) {
        strategies.forEach(s -> byKind.put(s.kind(), s));
    }

    public CredentialStrategy of(Kind kind) {
        CredentialStrategy s = byKind.get(kind);
        if (s == null) {
            throw new IllegalStateException("kind " + kind.label() + " cannot be rotated by this build of Rotor");
        }
        return s;
    }
}
