package dev.rotor.credential;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The port to IAM Credentials: short-lived tokens of a service account, minted on Rotor's behalf. */
public interface TokenMinter {
    /** A token and when it expires; {@link #toString()} never shows the token. */
    record Token(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "Token[expiresAt=" + expiresAt + "]";
        }
    }

    Token accessToken(String serviceAccount, List<String> scopes, Duration lifetime, List<String> delegates);

    Token idToken(String serviceAccount, String audience, List<String> delegates);
}
