package dev.rotor.api.auth;

/** An authenticated caller and what it may do. */
public record Caller(String email, Role role) {
    /** Schedulers may call runs and audits; operators may call everything. */
    public enum Role { SCHEDULER, OPERATOR }

    public static final String ATTRIBUTE = "rotor.caller";
}
