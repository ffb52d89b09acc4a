package dev.rotor.credential;

import dev.rotor.policy.RotationState;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * What a strategy may need to know when minting: the recorded state (which keys Rotor made, for which
 * versions) and, when resuming an interrupted attempt, when that attempt began, so anything it made but
 * never published can be undone first.
 */
public record MintContext(RotationState state, @Nullable Instant resumeSince) {
}
