package dev.rotor.api.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Google's JWKS over HTTPS, cached. An unknown {@code kid} triggers one refresh (Google rotates its keys),
 * but not more often than every {@link #MIN_REFRESH}, so a flood of forged key ids cannot turn Rotor into a
 * load generator against the JWKS endpoint. Keys are also refreshed after {@link #MAX_AGE} (Google's
 * certs carry a cache lifetime of hours; google-oauth-java-client caches them for 1 h, gcp-api-facts §7).
 */
@Singleton
public class RemoteJwks implements JwksSource {
    static final Duration MIN_REFRESH = Duration.ofSeconds(30);
    static final Duration MAX_AGE = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(RemoteJwks.class);

    private final AuthProperties properties;
    private final Clock clock;
    private final HttpClient http;
    private volatile Map<String, RSAKey> keys = Map.of();
    private volatile Instant fetchedAt = Instant.MIN;

    public RemoteJwks(AuthProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(properties.jwksTimeout()).build();
    }

    @Override
    public Optional<RSAKey> key(String keyId) {
        Instant now = clock.instant();
        RSAKey key = keys.get(keyId);
        boolean stale = fetchedAt.plus(MAX_AGE).isBefore(now);
        if ((key == null || stale) && fetchedAt.plus(MIN_REFRESH).isBefore(now)) {
            refresh(now);
            key = keys.get(keyId);
        }
        return Optional.ofNullable(key);
    }

    private synchronized void refresh(Instant now) {
        if (!fetchedAt.plus(MIN_REFRESH).isBefore(now)) {
            return;
        }
        fetchedAt = now;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(properties.jwksUri()))
                    .timeout(properties.jwksTimeout()).GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warn("JWKS fetch from {} answered {}; keeping {} cached keys", properties.jwksUri(),
                        response.statusCode(), keys.size());
                return;
            }
            // kid is optional in a JWK (RFC 7517 §4.5); Rotor looks keys up by kid only, so a keyless one is skipped
            keys = JWKSet.parse(response.body()).getKeys().stream().filter(k -> k instanceof RSAKey && k.getKeyID() != null)
                    .collect(Collectors.toUnmodifiableMap(JWK::getKeyID, k -> (RSAKey) k, (a, b) -> a));
        } catch (java.io.IOException | ParseException | IllegalArgumentException e) {
            LOG.warn("JWKS fetch from {} failed: {}; keeping {} cached keys", properties.jwksUri(), e.getMessage(),
                    keys.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
