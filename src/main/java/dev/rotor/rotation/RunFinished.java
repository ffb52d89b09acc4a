package dev.rotor.rotation;

import dev.rotor.policy.Policy;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.SecretRef;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * Published (a Micronaut application event, synchronously) at the end of every run that was not a dry run, so
 * observers such as the metrics ({@code dev.rotor.metrics}) see what the run saw without a Google call of their
 * own: its report, and every managed secret it listed as the run left it (this instance's own writes over the
 * listing, {@link OwnWrites}).
 */
public record RunFinished(RunReport report, List<Seen> secrets) {

    /**
     * One listed secret. {@code policy} is null when the declaration does not parse; {@code state} when it or the
     * state does not; {@code problem} says why the secret is misconfigured (null when it is not).
     */
    public record Seen(SecretRef ref, @Nullable Policy policy, @Nullable RotationState state,
                       @Nullable String problem) {
        public boolean misconfigured() {
            return problem != null;
        }
    }

    static Seen seen(dev.rotor.secret.ManagedSecret secret) {
        Declared d = Declared.read(secret);
        String problem = d.ok() && Declared.cmekMissing(d.policy(), secret) ? Declared.CMEK_MISSING : d.problem();
        return new Seen(secret.ref(), d.policy(), d.state(), problem);
    }
}
