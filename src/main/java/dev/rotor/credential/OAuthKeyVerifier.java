package dev.rotor.credential;

import com.google.auth.oauth2.ServiceAccountCredentials;
import jakarta.inject.Singleton;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Verifies a key the way its consumers will use it: google-auth-library signs a JWT assertion with it and
 * exchanges that at the key file's {@code token_uri} for an access token.
 */
@Singleton
public final class OAuthKeyVerifier implements KeyVerifier {
    static final List<String> SCOPES = List.of("https://www.googleapis.com/auth/cloud-platform");

    @Override
    public void verify(byte[] jsonKeyFile) {
        ServiceAccountCredentials credentials;
        try {
            credentials = ServiceAccountCredentials.fromStream(new ByteArrayInputStream(jsonKeyFile));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the new key file does not parse as a service-account key");
        }
        try {
            credentials.createScoped(SCOPES).refreshAccessToken();
        } catch (IOException e) {
            throw new NotWorking("the token endpoint refused the new key " + credentials.getPrivateKeyId()
                    + " (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static String firstLine(String s) {
        return s == null ? "no message" : s.lines().findFirst().orElse(s);
    }
}
