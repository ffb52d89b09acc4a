package dev.rotor.api;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Keys fetched over HTTP from rotor.auth.jwks-uri: cached, refreshed on an unknown key id, bounded in time. */
class RemoteJwksTest {
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicBoolean slow = new AtomicBoolean();
    /** Holds a slow answer until the test is over: the fetch's timeout, not the machine's speed, decides. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean empty = new AtomicBoolean();
    private final AtomicBoolean keylessToo = new AtomicBoolean();
    private final HttpServer jwks;
    private Api api;

    RemoteJwksTest() throws IOException {
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/certs", ex -> {
            fetches.incrementAndGet();
            if (slow.get()) {
                try {
                    // answers only after the test, or after 30 s if Rotor never gives up (then the test fails)
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String keys = empty.get() ? "{\"keys\":[]}" : api.env.emulator.oidc().jwks();
            if (keylessToo.get()) { // a JWK without "kid" beside the real keys (RFC 7517 makes kid optional)
                keys = keys.replaceFirst("\\[", "[{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"" + "AQAB".repeat(64) + "\"},");
            }
            byte[] body = keys.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        jwks.start();
    }

    /**
     * Rotor fetching from this JWKS server, with {@code extra} settings. Tests of keys that arrive keep the default
     * {@code rotor.auth.jwks-timeout} (5 s): a short one made them fail on a slow or loaded machine, where the first
     * fetch (a cold HTTP client and server) can take longer than half a second.
     */
    private void start(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put("rotor.auth.jwks-uri", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/certs");
        api = new Api(props);
    }

    @AfterEach
    void close() {
        release.countDown();
        if (api != null) {
            api.close();
        }
        jwks.stop(0);
    }

    private int status(String email) {
        return api.as(email, "GET", "/v1/secrets", null).statusCode();
    }

    @Test
    void keysAreFetchedOnceAndCached() {
        start(Map.of());
        assertEquals(200, status(Api.OPERATOR));
        assertEquals(200, status(Api.OPERATOR));
        assertEquals(200, status(Api.OPERATOR));
        assertEquals(1, fetches.get());
    }

    @Test
    void anUnknownKeyIdRefreshesAtMostEveryThirtySeconds() {
        start(Map.of());
        empty.set(true);
        assertEquals(401, status(Api.OPERATOR)); // first fetch: no keys yet
        empty.set(false);
        assertEquals(401, status(Api.OPERATOR), "a refresh within 30 s is not allowed");
        assertEquals(1, fetches.get());
        api.env.clock.advance(Duration.ofSeconds(31));
        assertEquals(200, status(Api.OPERATOR), "the unknown kid triggers a refresh once allowed");
        assertEquals(2, fetches.get());
    }

    @Test
    void aKeyWithoutAKeyIdIsSkippedNotFatal() {
        start(Map.of());
        keylessToo.set(true);
        assertEquals(200, status(Api.OPERATOR), "the keyed keys still verify");
        String unknownKid = BadTokenSuite.b64("{\"alg\":\"RS256\",\"kid\":\"unknown\"}") + "."
                + api.token(Api.OPERATOR).split("\\.")[1] + ".c2ln";
        api.env.clock.advance(Duration.ofSeconds(31));
        assertEquals(401, api.call("GET", "/v1/secrets", null, Map.of("Authorization", "Bearer " + unknownKid)).statusCode());
    }

    @Test
    void aSlowJwksEndpointFailsClosedWithinTheTimeout() {
        start(Map.of("rotor.auth.jwks-timeout", "500ms"));
        slow.set(true);
        assertEquals(401, status(Api.OPERATOR));
        assertEquals(1, fetches.get(), "the one fetch was cut off by the timeout");
    }
}
