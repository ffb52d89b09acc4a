package dev.rotor.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.rotor.local.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JWKS cache on its own, against a local certs endpoint and a clock the test moves: when it fetches, what
 * it keeps when a fetch fails, which keys it takes (the HTTP tests in {@code dev.rotor.api} cover the same
 * through a running server).
 */
class RemoteJwksCacheTest {
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final RSAKey K1 = rsa("k1");
    private static final RSAKey K2 = rsa("k2");
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> body = new AtomicReference<>(set(K1));
    private final MutableClock clock = new MutableClock(T0);
    private final HttpServer server;
    private final RemoteJwks jwks;

    RemoteJwksCacheTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/certs", ex -> {
            fetches.incrementAndGet();
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status.get(), b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        AuthProperties p = new AuthProperties("verify", List.of("https://rotor.test"), null,
                "http://127.0.0.1:" + server.getAddress().getPort() + "/certs", List.of(), List.of(),
                Duration.ofSeconds(30), Duration.ofSeconds(5), 4096);
        jwks = new RemoteJwks(p, clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate().toPublicJWK();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String set(JWK... keys) {
        return new JWKSet(List.of(keys)).toString();
    }

    @Test
    void aKnownKeyIsServedFromTheCacheUntilItIsAnHourOld() {
        assertEquals(Optional.of(K1), jwks.key("k1"));
        clock.set(T0.plus(RemoteJwks.MAX_AGE));
        assertEquals(Optional.of(K1), jwks.key("k1"));
        assertEquals(1, fetches.get(), "an hour old is not yet stale");
        body.set(set(K2));
        clock.set(T0.plus(RemoteJwks.MAX_AGE).plusMillis(1));
        assertEquals(Optional.empty(), jwks.key("k1"), "Google dropped k1 and the stale cache was refreshed");
        assertEquals(2, fetches.get());
    }

    @Test
    void anUnknownKeyIdRefreshesOnlyAfterThirtySeconds() {
        assertEquals(Optional.of(K1), jwks.key("k1"));
        body.set(set(K1, K2));
        clock.set(T0.plus(RemoteJwks.MIN_REFRESH));
        assertEquals(Optional.empty(), jwks.key("k2"), "exactly 30 s after a fetch is too soon");
        assertEquals(1, fetches.get());
        clock.set(T0.plus(RemoteJwks.MIN_REFRESH).plusMillis(1));
        assertEquals(Optional.of(K2), jwks.key("k2"));
        assertEquals(2, fetches.get());
    }

    @Test
    void aFailedFetchKeepsTheCachedKeys() {
        assertEquals(Optional.of(K1), jwks.key("k1"));
        status.set(503);
        clock.set(T0.plus(RemoteJwks.MAX_AGE).plusSeconds(1));
        assertEquals(Optional.of(K1), jwks.key("k1"), "a 503 leaves the keys as they were");
        status.set(200);
        body.set("{\"keys\": not json");
        clock.set(T0.plus(RemoteJwks.MAX_AGE.multipliedBy(2)).plusSeconds(2));
        assertEquals(Optional.of(K1), jwks.key("k1"), "an unreadable body leaves the keys as they were");
        assertEquals(3, fetches.get());
    }

    @Test
    void aFetchInterruptedByShutdownFindsNoKeyAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        try {
            assertEquals(Optional.empty(), jwks.key("k1"));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void onlyRsaKeysWithAnIdAreTaken() throws JOSEException {
        JWK ec = new ECKeyGenerator(Curve.P_256).keyID("ec").generate().toPublicJWK();
        RSAKey noKid = new RSAKey.Builder(rsa("x")).keyID(null).build();
        RSAKey duplicate = rsa("k1");
        body.set(set(ec, noKid, K1, duplicate));
        assertEquals(Optional.of(K1), jwks.key("k1"), "of two keys with one id, the first is taken");
        assertEquals(Optional.empty(), jwks.key("ec"));
        assertEquals(1, fetches.get(), "an unknown id right after a fetch does not fetch again");
    }
}
