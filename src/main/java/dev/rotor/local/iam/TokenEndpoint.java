package dev.rotor.local.iam;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rotor.local.Forms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The OAuth 2.0 token endpoint on loopback HTTP: exchanges a JWT-bearer assertion signed with an
 * emulator-issued service-account key for an access token, as {@code oauth2.googleapis.com/token} does. A
 * key works only after the propagation delay and never once disabled or deleted; otherwise the answer is
 * Google's {@code 400 invalid_grant}.
 */
public final class TokenEndpoint implements AutoCloseable {
    static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final IamState iam;
    private final HttpServer server;

    public TokenEndpoint(IamState iam) {
        this.iam = iam;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("the token endpoint could not start", e);
        }
        server.createContext("/token", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("POST")) {
                send(ex, 405, "{\"error\":\"invalid_request\"}");
                return;
            }
            Map<String, String> form = Forms.parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
                send(ex, 400, error("unsupported_grant_type", "Invalid grant_type."));
                return;
            }
            String refusal = check(form.getOrDefault("assertion", ""));
            if (refusal != null) {
                send(ex, 400, error("invalid_grant", refusal));
                return;
            }
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            send(ex, 200, "{\"access_token\":\"ya29.emulator." + Base64.getUrlEncoder().withoutPadding().encodeToString(b)
                    + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
        }
    }

    /** Null when the assertion is good, else Google's error description. */
    private String check(String assertion) {
        try {
            SignedJWT jwt = SignedJWT.parse(assertion);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || jwt.getHeader().getKeyID() == null) {
                return "Invalid JWT Signature.";
            }
            Map.Entry<IamState.Account, IamState.Key> found = iam.findKey(jwt.getHeader().getKeyID());
            if (found == null || !found.getValue().userManaged) {
                return "Invalid JWT Signature.";
            }
            if (!jwt.verify(new RSASSAVerifier(found.getValue().pair.toRSAPublicKey()))) {
                return "Invalid JWT Signature.";
            }
            var claims = jwt.getJWTClaimsSet();
            if (!found.getKey().email.equals(claims.getIssuer())) {
                return "Invalid JWT: Token must be issued by the key's service account.";
            }
            // google-auth-library addresses assertions to Google's token URI even when it posts elsewhere
            if (!claims.getAudience().contains(uri()) && !claims.getAudience().contains(GOOGLE_TOKEN_URI)) {
                return "Invalid JWT: Failed audience check.";
            }
            Instant now = iam.clock().instant();
            if (claims.getExpirationTime() == null || claims.getExpirationTime().toInstant().isBefore(now)) {
                return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.";
            }
            if (!iam.usable(found.getValue())) {
                return "Invalid JWT Signature.";
            }
            return null;
        } catch (ParseException | JOSEException e) {
            return "Invalid JWT Signature.";
        }
    }

    private static String error(String code, String description) {
        return "{\"error\":\"" + code + "\",\"error_description\":\"" + description + "\"}";
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
