package dev.rotor.credential;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.iam.credentials.v1.GenerateAccessTokenRequest;
import com.google.cloud.iam.credentials.v1.GenerateIdTokenRequest;
import com.google.cloud.iam.credentials.v1.GenerateIdTokenResponse;
import com.google.cloud.iam.credentials.v1.IamCredentialsClient;
import com.google.cloud.iam.credentials.v1.IamCredentialsSettings;
import com.google.protobuf.Message;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.error.RemoteException;
import dev.rotor.local.Emulator;
import dev.rotor.local.MutableClock;
import dev.rotor.local.Rewriting;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IAM Credentials adapter through the official client against the emulator's loopback port (gcp-api-facts §3):
 * the requests it sends (every account, delegates included, as {@code projects/-/serviceAccounts/EMAIL}; the
 * lifetime in seconds; ID tokens with the email), and what it reads back. A gRPC interceptor ({@link Rewriting})
 * records each request and may replace an answer, to show what Rotor does with one Google should never send.
 */
class IamCredentialsMinterTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private final Emulator emulator = Emulator.withLoopback(new MutableClock(NOW), 0);
    private final List<Message> sent = new CopyOnWriteArrayList<>();
    private UnaryOperator<GenerateIdTokenResponse> idTokenAnswer = r -> r;
    private final ManagedChannel channel = NettyChannelBuilder.forTarget(emulator.loopbackAddress().orElseThrow())
            .usePlaintext().intercept(new Rewriting(request -> sent.add((Message) request),
                    answer -> answer instanceof GenerateIdTokenResponse r ? idTokenAnswer.apply(r) : answer)).build();
    private final IamCredentialsClient client;
    private final TokenMinter minter;
    private final String sa = emulator.iam().createAccount("demo-project", "app").email();
    private final String delegate = emulator.iam().createAccount("demo-project", "hop").email();

    IamCredentialsMinterTest() throws IOException {
        client = IamCredentialsClient.create(IamCredentialsSettings.newBuilder()
                .setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                .setCredentialsProvider(NoCredentialsProvider.create()).build());
        minter = new IamCredentialsMinter(client);
    }

    @AfterEach
    void close() throws InterruptedException {
        client.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        emulator.close();
    }

    private static String name(String email) {
        return "projects/-/serviceAccounts/" + email;
    }

    @Test
    void anAccessTokenIsAskedForTheAccountThroughItsDelegatesForTheLifetimeInSeconds() {
        TokenMinter.Token token = minter.accessToken(sa, List.of("https://www.googleapis.com/auth/cloud-platform"),
                Duration.ofMinutes(30), List.of(delegate));
        assertTrue(token.value().startsWith("ya29."), "the token as IAM returned it");
        assertEquals(NOW.plus(Duration.ofMinutes(30)), token.expiresAt());
        assertEquals(List.of(GenerateAccessTokenRequest.newBuilder().setName(name(sa)).addDelegates(name(delegate))
                .addScope("https://www.googleapis.com/auth/cloud-platform")
                .setLifetime(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build()), sent);
    }

    @Test
    void anIdTokenIsAskedWithTheEmailAndItsExpiryIsReadFromTheToken() throws Exception {
        TokenMinter.Token token = minter.idToken(sa, "https://backend.example", List.of(delegate));
        assertEquals(SignedJWT.parse(token.value()).getJWTClaimsSet().getExpirationTime().toInstant(), token.expiresAt());
        assertTrue(token.expiresAt().isAfter(NOW), token.toString());
        assertEquals(List.of(GenerateIdTokenRequest.newBuilder().setName(name(sa)).addDelegates(name(delegate))
                .setAudience("https://backend.example").setIncludeEmail(true).build()), sent);
    }

    @Test
    void anIdTokenThatIsNotAJwtWithAnExpiryIsRefusedWithoutShowingIt() {
        idTokenAnswer = r -> r.toBuilder().setToken("not-a-jwt").build();
        RemoteException e = assertThrows(RemoteException.Fatal.class, () -> minter.idToken(sa, "aud", List.of()));
        assertEquals("GenerateIdToken for " + sa + " returned a token that is not a JWT with an expiry; nothing was "
                + "published", e.getMessage());
        // a signed JWT without "exp": header {"alg":"RS256"}, claims {"aud":"aud"}
        idTokenAnswer = r -> r.toBuilder().setToken("eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhdWQifQ.c2ln").build();
        e = assertThrows(RemoteException.Fatal.class, () -> minter.idToken(sa, "aud", List.of()));
        assertFalse(e.getMessage().contains("eyJ"), e.getMessage());
    }

    @Test
    void aRefusalIsReportedByCallAndAccount() {
        emulator.iam().revokeTokenCreator(sa);
        RemoteException access = assertThrows(RemoteException.PermissionDenied.class,
                () -> minter.accessToken(sa, List.of("s"), Duration.ofHours(1), List.of()));
        assertTrue(access.getMessage().startsWith("GenerateAccessToken for " + sa + " failed: PERMISSION_DENIED"),
                access.getMessage());
        RemoteException id = assertThrows(RemoteException.PermissionDenied.class,
                () -> minter.idToken(sa, "aud", List.of()));
        assertTrue(id.getMessage().startsWith("GenerateIdToken for " + sa + " failed: PERMISSION_DENIED"), id.getMessage());
    }
}
