package dev.rotor.credential;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.iam.credentials.v1.IamCredentialsClient;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.error.RemoteException;
import dev.rotor.gcp.GoogleErrors;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@link TokenMinter} on the official IAM Credentials client. Names take the required
 * {@code projects/-/serviceAccounts/} form (gcp-api-facts §3); ID tokens include the email.
 */
@Singleton
public final class IamCredentialsMinter implements TokenMinter {
    private final IamCredentialsClient client;

    public IamCredentialsMinter(IamCredentialsClient client) {
        this.client = client;
    }

    @Override
    public Token accessToken(String serviceAccount, List<String> scopes, Duration lifetime, List<String> delegates) {
        try {
            var response = client.generateAccessToken(name(serviceAccount), names(delegates), scopes,
                    com.google.protobuf.Duration.newBuilder().setSeconds(lifetime.toSeconds()).build());
            return new Token(response.getAccessToken(), Instant.ofEpochSecond(response.getExpireTime().getSeconds()));
        } catch (ApiException e) {
            throw GoogleErrors.map("GenerateAccessToken for " + serviceAccount, e);
        }
    }

    @Override
    public Token idToken(String serviceAccount, String audience, List<String> delegates) {
        String token;
        try {
            token = client.generateIdToken(name(serviceAccount), names(delegates), audience, true).getToken();
        } catch (ApiException e) {
            throw GoogleErrors.map("GenerateIdToken for " + serviceAccount, e);
        }
        try {
            return new Token(token, SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant());
        } catch (ParseException | NullPointerException e) {
            throw new RemoteException.Fatal("GenerateIdToken for " + serviceAccount
                    + " returned a token that is not a JWT with an expiry; nothing was published", null);
        }
    }

    private static String name(String email) {
        return "projects/-/serviceAccounts/" + email;
    }

    private static List<String> names(List<String> emails) {
        return emails.stream().map(IamCredentialsMinter::name).toList();
    }
}
