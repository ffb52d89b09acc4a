package dev.rotor.policy;

import java.util.Arrays;
import java.util.Optional;

/** What a managed secret's versions hold (DESIGN §1), as written in {@code rotor.kind}. */
public enum Kind {
    SERVICE_ACCOUNT_KEY("service-account-key"),
    ACCESS_TOKEN("access-token"),
    ID_TOKEN("id-token"),
    GENERATED("generated");

    private final String label;

    Kind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean isToken() {
        return this == ACCESS_TOKEN || this == ID_TOKEN;
    }

    public static Optional<Kind> of(String label) {
        return Arrays.stream(values()).filter(k -> k.label.equals(label)).findFirst();
    }
}
