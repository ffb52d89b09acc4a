package dev.rotor.policy;

/** The outcome of reading a secret's annotations: a policy, or the precise reason there is none. */
public sealed interface Declaration {
    record Valid(Policy policy) implements Declaration {
    }

    record Misconfigured(String reason) implements Declaration {
    }
}
