package dev.rotor.secret;

/** A secret by project and id. */
public record SecretRef(String project, String secret) {
    public String name() {
        return "projects/" + project + "/secrets/" + secret;
    }

    public String version(long number) {
        return name() + "/versions/" + number;
    }

    @Override
    public String toString() {
        return name();
    }
}
