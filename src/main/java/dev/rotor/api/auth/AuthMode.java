package dev.rotor.api.auth;

import java.util.Arrays;
import java.util.Locale;

/**
 * Who checked the token's signature before Rotor saw it.
 *
 * <p>{@link #CLOUD_RUN}: Cloud Run's front end, with the invoker IAM check on, verified the caller's ID token
 * and forwards it with its third segment replaced by {@link TokenVerifier#SIGNATURE_REMOVED}. Rotor accepts
 * that exact form and still checks the header and every claim. It is sound only while the invoker check is
 * on and nothing but Cloud Run's front end reaches the container (docs/api.md, trust boundary).
 *
 * <p>{@link #VERIFY}: nothing trusted checked it (invoker IAM disabled, or another proxy in front): every
 * token's RS256 signature is verified against the JWKS, and the removed-signature form is refused.
 */
public enum AuthMode {
    CLOUD_RUN("cloud-run"), VERIFY("verify");

    private final String label;

    AuthMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    static AuthMode parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.label.equals(v)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("rotor.auth.mode must be cloud-run or verify, not '" + value + "'"));
    }
}
