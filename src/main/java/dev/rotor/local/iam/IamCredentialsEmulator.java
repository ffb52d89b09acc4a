package dev.rotor.local.iam;

import com.google.cloud.iam.credentials.v1.GenerateAccessTokenRequest;
import com.google.cloud.iam.credentials.v1.GenerateAccessTokenResponse;
import com.google.cloud.iam.credentials.v1.GenerateIdTokenRequest;
import com.google.cloud.iam.credentials.v1.GenerateIdTokenResponse;
import com.google.cloud.iam.credentials.v1.IAMCredentialsGrpc;
import com.google.cloud.iam.credentials.v1.SignJwtRequest;
import com.google.cloud.iam.credentials.v1.SignJwtResponse;
import com.google.protobuf.Timestamp;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.stub.StreamObserver;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static dev.rotor.local.Statuses.failedPrecondition;
import static dev.rotor.local.Statuses.invalid;
import static dev.rotor.local.Unary.respond;

/**
 * IAM Credentials (gcp-api-facts §3): access tokens (scopes required; lifetime default 3600 s, at most
 * 3600 s unless the account may extend to 12 h, refused otherwise with FAILED_PRECONDITION and Google's text
 * naming {@code constraints/iam.allowServiceAccountCredentialLifetimeExtension}), Google-signed ID tokens,
 * and SignJwt. The caller needs
 * token-creator on the target account, else PERMISSION_DENIED.
 */
public final class IamCredentialsEmulator extends IAMCredentialsGrpc.IAMCredentialsImplBase {
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    static final Duration MAX_LIFETIME = Duration.ofHours(1);
    static final Duration MAX_EXTENDED_LIFETIME = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final IamState iam;
    private final OidcIssuer oidc;

    public IamCredentialsEmulator(IamState iam, OidcIssuer oidc) {
        this.iam = iam;
        this.oidc = oidc;
    }

    @Override
    public void generateAccessToken(GenerateAccessTokenRequest r, StreamObserver<GenerateAccessTokenResponse> o) {
        respond(o, () -> {
            IamState.Account a = target(r.getName(), r.getDelegatesList(), "iam.serviceAccounts.getAccessToken");
            if (r.getScopeCount() == 0) {
                throw invalid("Scope required.");
            }
            long seconds = r.getLifetime().getSeconds();
            Duration lifetime = seconds == 0 ? DEFAULT_LIFETIME : Duration.ofSeconds(seconds);
            if (lifetime.isNegative() || lifetime.compareTo(MAX_EXTENDED_LIFETIME) > 0) {
                throw invalid("The lifetime of the token is outside the allowed range: at most "
                        + MAX_EXTENDED_LIFETIME.toSeconds() + " seconds.");
            }
            if (lifetime.compareTo(MAX_LIFETIME) > 0 && !a.allowLifetimeExtension) {
                // Google's text, HTTP 400, measured (3601 s and 43200 s) in a public spike's notes and reported
                // by users as a permission problem (google-github-actions/auth#145). The gRPC code behind the
                // 400 is not shown there: FAILED_PRECONDITION is the inference for an organisation-policy
                // refusal (docs/emulator.md).
                throw failedPrecondition("Access tokens for service account " + a.email + " can not have lifetimes "
                        + "of more than 1 hour. Use the Org Policy Constraint "
                        + "constraints/iam.allowServiceAccountCredentialLifetimeExtension to allow up to 12 hours.");
            }
            Instant expiry = iam.clock().instant().plus(lifetime);
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            return GenerateAccessTokenResponse.newBuilder()
                    .setAccessToken("ya29.emulator." + Base64.getUrlEncoder().withoutPadding().encodeToString(b))
                    .setExpireTime(Timestamp.newBuilder().setSeconds(expiry.getEpochSecond())).build();
        });
    }

    @Override
    public void generateIdToken(GenerateIdTokenRequest r, StreamObserver<GenerateIdTokenResponse> o) {
        respond(o, () -> {
            IamState.Account a = target(r.getName(), r.getDelegatesList(), "iam.serviceAccounts.getOpenIdToken");
            if (r.getAudience().isBlank()) {
                throw invalid("Audience required.");
            }
            String token = r.getIncludeEmail() ? oidc.idToken(a.email, r.getAudience())
                    : oidc.idToken(a.email, r.getAudience(), Map.of("email", "", "email_verified", false));
            return GenerateIdTokenResponse.newBuilder().setToken(token).build();
        });
    }

    @Override
    public void signJwt(SignJwtRequest r, StreamObserver<SignJwtResponse> o) {
        respond(o, () -> {
            IamState.Account a = target(r.getName(), r.getDelegatesList(), "iam.serviceAccounts.signJwt");
            IamState.Key key = a.keys.stream().filter(k -> !k.userManaged).findFirst().orElseThrow();
            try {
                JWTClaimsSet claims = JWTClaimsSet.parse(r.getPayload());
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.id).build(), claims);
                jwt.sign(new RSASSASigner(key.pair));
                return SignJwtResponse.newBuilder().setKeyId(key.id).setSignedJwt(jwt.serialize()).build();
            } catch (ParseException e) {
                throw invalid("The payload is not a JSON object of JWT claims.");
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private IamState.Account target(String name, java.util.List<String> delegates, String permission) {
        String prefix = "projects/-/serviceAccounts/";
        if (!name.startsWith(prefix)) {
            throw invalid("Invalid form of account ID " + name + ". Should be [projects/-/serviceAccounts/ACCOUNT_EMAIL].");
        }
        for (String d : delegates) {
            iam.account(d.substring(d.lastIndexOf('/') + 1));
        }
        IamState.Account a = iam.account(name.substring(prefix.length()));
        iam.requireTokenCreator(a, permission);
        return a;
    }
}
