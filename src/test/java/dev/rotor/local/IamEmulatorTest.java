package dev.rotor.local;

import com.google.api.gax.rpc.FailedPreconditionException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.PermissionDeniedException;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.cloud.iam.credentials.v1.GenerateAccessTokenResponse;
import com.google.cloud.iam.credentials.v1.IamCredentialsClient;
import com.google.iam.admin.v1.CreateServiceAccountKeyRequest;
import com.google.iam.admin.v1.ListServiceAccountKeysRequest;
import com.google.iam.admin.v1.ServiceAccountKey;
import com.google.protobuf.Duration;
import com.google.rpc.PreconditionFailure;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.protobuf.StatusProto;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IAM Admin, IAM Credentials and the token endpoint through the official clients (gcp-api-facts §3, §4). */
class IamEmulatorTest {
    private static final String SA = "app@demo-project.iam.gserviceaccount.com";
    private static final String SA_NAME = "projects/demo-project/serviceAccounts/" + SA;
    private final EmulatedContext env = new EmulatedContext();
    private final IAMClient admin = env.bean(IAMClient.class);
    private final IamCredentialsClient credentials = env.bean(IamCredentialsClient.class);

    IamEmulatorTest() {
        env.emulator.iam().createAccount("demo-project", "app");
    }

    @AfterEach
    void close() {
        env.close();
    }

    private ServiceAccountKey createKey() {
        return admin.createServiceAccountKey(CreateServiceAccountKeyRequest.newBuilder().setName(SA_NAME).build());
    }

    private AccessToken exchange(ServiceAccountKey key) throws IOException {
        ServiceAccountCredentials c = ServiceAccountCredentials.fromStream(
                new ByteArrayInputStream(key.getPrivateKeyData().toByteArray()));
        return c.createScoped(List.of("https://www.googleapis.com/auth/cloud-platform")).refreshAccessToken();
    }

    @Test
    void createdKeysCarryARealKeyFileOnlyInTheCreateResponse() throws Exception {
        ServiceAccountKey key = createKey();
        @SuppressWarnings("unchecked")
        Map<String, String> file = ObjectMapper.getDefault().readValue(key.getPrivateKeyData().toByteArray(), Map.class);
        assertEquals("service_account", file.get("type"));
        assertEquals(SA, file.get("client_email"));
        assertEquals(env.emulator.tokenUri(), file.get("token_uri"));
        assertTrue(key.getName().endsWith("/keys/" + file.get("private_key_id")));
        ServiceAccountKey listed = admin.listServiceAccountKeys(ListServiceAccountKeysRequest.newBuilder()
                .setName(SA_NAME).addKeyTypes(ListServiceAccountKeysRequest.KeyType.USER_MANAGED).build()).getKeys(0);
        assertTrue(listed.getPrivateKeyData().isEmpty());
        assertEquals(ListServiceAccountKeysRequest.KeyType.USER_MANAGED, listed.getKeyType());
        assertEquals(2, admin.listServiceAccountKeys(SA_NAME, List.of()).getKeysCount(), "plus one system key");
    }

    @Test
    void theEleventhUserManagedKeyIsAFailedPrecondition() {
        for (int i = 0; i < 10; i++) {
            createKey();
        }
        FailedPreconditionException e = assertThrows(FailedPreconditionException.class, this::createKey);
        assertTrue(e.getMessage().contains("Precondition check failed"), e.getMessage());
    }

    @Test
    void theOrganisationPolicyNamesItsConstraint() throws Exception {
        env.emulator.iam().keyCreationDisabledByPolicy(true);
        FailedPreconditionException e = assertThrows(FailedPreconditionException.class, this::createKey);
        com.google.rpc.Status status = StatusProto.fromThrowable(e.getCause());
        assertNotNull(status);
        PreconditionFailure failure = status.getDetails(0).unpack(PreconditionFailure.class);
        assertEquals("constraints/iam.disableServiceAccountKeyCreation", failure.getViolations(0).getType());
    }

    @Test
    void aKeyWorksAtTheTokenEndpointOnlyAfterPropagationAndWhileEnabled() throws Exception {
        env.emulator.iam().keyPropagation(java.time.Duration.ofSeconds(60));
        ServiceAccountKey key = createKey();
        IOException early = assertThrows(IOException.class, () -> exchange(key));
        assertTrue(early.getMessage().contains("invalid_grant"), early.getMessage());
        env.clock.advance(java.time.Duration.ofSeconds(61));
        assertTrue(exchange(key).getTokenValue().startsWith("ya29."));

        admin.disableServiceAccountKey(key.getName());
        assertThrows(IOException.class, () -> exchange(key));
        admin.enableServiceAccountKey(key.getName());
        exchange(key);
        admin.deleteServiceAccountKey(key.getName());
        assertThrows(IOException.class, () -> exchange(key));
        assertThrows(NotFoundException.class, () -> admin.getServiceAccountKey(
                com.google.iam.admin.v1.GetServiceAccountKeyRequest.newBuilder().setName(key.getName()).build()));
    }

    @Test
    void accessTokensFollowTheLifetimeRulesAndTheGrantTable() {
        String name = "projects/-/serviceAccounts/" + SA;
        String scope = "https://www.googleapis.com/auth/cloud-platform";
        GenerateAccessTokenResponse t = credentials.generateAccessToken(name, List.of(), List.of(scope),
                Duration.getDefaultInstance());
        assertEquals(env.clock.instant().plusSeconds(3600).getEpochSecond(), t.getExpireTime().getSeconds());
        assertThrows(InvalidArgumentException.class, () -> credentials.generateAccessToken(name, List.of(), List.of(),
                Duration.getDefaultInstance()));
        Duration twoHours = Duration.newBuilder().setSeconds(7200).build();
        FailedPreconditionException refused = assertThrows(FailedPreconditionException.class,
                () -> credentials.generateAccessToken(name, List.of(), List.of(scope), twoHours));
        assertTrue(refused.getMessage().contains("constraints/iam.allowServiceAccountCredentialLifetimeExtension"),
                refused.getMessage());
        env.emulator.iam().allowLifetimeExtension(SA, true);
        credentials.generateAccessToken(name, List.of(), List.of(scope), twoHours);
        assertThrows(InvalidArgumentException.class, () -> credentials.generateAccessToken(
                "projects/demo-project/serviceAccounts/" + SA, List.of(), List.of(scope), Duration.getDefaultInstance()));
        env.emulator.iam().revokeTokenCreator(SA);
        assertThrows(PermissionDeniedException.class, () -> credentials.generateAccessToken(name, List.of(),
                List.of(scope), Duration.getDefaultInstance()));
        assertThrows(NotFoundException.class, () -> credentials.generateAccessToken(
                "projects/-/serviceAccounts/nobody@demo-project.iam.gserviceaccount.com", List.of(), List.of(scope),
                Duration.getDefaultInstance()));
    }

    @Test
    void idTokensAreGoogleSignedJwtsThatVerifyAgainstTheJwks() throws Exception {
        String token = credentials.generateIdToken("projects/-/serviceAccounts/" + SA, List.of(),
                "https://svc.example", true).getToken();
        SignedJWT jwt = SignedJWT.parse(token);
        assertTrue(jwt.verify(new RSASSAVerifier(env.emulator.oidc().publicKey())));
        assertEquals(SA, jwt.getJWTClaimsSet().getStringClaim("email"));
        assertEquals(List.of("https://svc.example"), jwt.getJWTClaimsSet().getAudience());
        String noEmail = credentials.generateIdToken("projects/-/serviceAccounts/" + SA, List.of(),
                "https://svc.example", false).getToken();
        assertFalse(Boolean.TRUE.equals(SignedJWT.parse(noEmail).getJWTClaimsSet().getClaim("email_verified")));
        String signed = credentials.signJwt("projects/-/serviceAccounts/" + SA, List.of(),
                "{\"sub\":\"x\",\"aud\":\"y\"}").getSignedJwt();
        assertEquals("x", SignedJWT.parse(signed).getJWTClaimsSet().getSubject());
    }
}
