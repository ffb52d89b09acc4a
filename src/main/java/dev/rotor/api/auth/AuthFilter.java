package dev.rotor.api.auth;

import dev.rotor.api.Problems;
import dev.rotor.status.StatusAccess;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Every {@code /v1} call, and the status page ({@code GET /}), needs an ID token, as a Bearer credential. 401 (with {@code WWW-Authenticate:
 * Bearer}) for a missing or invalid token, 403 for a valid token of a principal not allowed on the route:
 * schedulers may call {@code POST /v1/runs} and {@code POST /v1/audits}; operators everything.
 *
 * <p>In {@link AuthMode#CLOUD_RUN} the token is read from the header Cloud Run's front end checked: when
 * {@code X-Serverless-Authorization} is present Cloud Run checks it and not {@code Authorization}
 * (gcp-api-facts §7, GoogleCloudPlatform/cloud-run-proxy#25), so Rotor reads it too; otherwise an
 * unchecked {@code Authorization} could claim any identity. In {@link AuthMode#VERIFY} only
 * {@code Authorization} is read. Local mode opens the status page ({@link StatusAccess}).
 */
@ServerFilter({"/v1/**", StatusAccess.PATH})
public class AuthFilter {
    public static final String SERVERLESS_AUTHORIZATION = "X-Serverless-Authorization";
    private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);
    private final TokenVerifier verifier;
    private final AuthProperties properties;
    private final AuthSettings settings;
    private final StatusAccess status;

    public AuthFilter(TokenVerifier verifier, AuthProperties properties, AuthSettings settings, StatusAccess status) {
        this.verifier = verifier;
        this.properties = properties;
        this.settings = settings;
        this.status = status;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (status.open(request)) {
            return null;
        }
        String token = bearer(request, settings.mode());
        if (token == null) {
            return unauthorized("a Google-signed ID token is required in the Authorization header (Bearer)");
        }
        String email;
        try {
            email = verifier.verify(token);
        } catch (TokenVerifier.Unauthorized e) {
            LOG.info("refused {} {}: {}", request.getMethod(), request.getPath(), e.getMessage());
            return unauthorized(e.getMessage());
        }
        Caller.Role role = roleOf(email.toLowerCase(Locale.ROOT));
        if (role == null) {
            LOG.warn("refused {} {}: {} is not a configured principal", request.getMethod(), request.getPath(), email);
            return Problems.of(403, "Forbidden", email + " is not allowed to call Rotor");
        }
        if (role == Caller.Role.SCHEDULER && !schedulerRoute(request)) {
            return Problems.of(403, "Forbidden", email + " may call runs and audits only");
        }
        request.setAttribute(Caller.ATTRIBUTE, new Caller(email, role));
        return null;
    }

    /** The Bearer token of the header that counts in this mode, or null when there is none. */
    public static @Nullable String bearer(HttpRequest<?> request, AuthMode mode) {
        String header = mode == AuthMode.CLOUD_RUN && request.getHeaders().contains(SERVERLESS_AUTHORIZATION)
                ? request.getHeaders().get(SERVERLESS_AUTHORIZATION) : request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            return null;
        }
        return header.substring(7).trim();
    }

    private Caller.Role roleOf(String email) {
        if (properties.operatorPrincipals().stream().anyMatch(p -> p.equalsIgnoreCase(email))) {
            return Caller.Role.OPERATOR;
        }
        if (properties.schedulerPrincipals().stream().anyMatch(p -> p.equalsIgnoreCase(email))) {
            return Caller.Role.SCHEDULER;
        }
        return null;
    }

    private static boolean schedulerRoute(HttpRequest<?> request) {
        String path = request.getPath();
        return request.getMethod().name().equals("POST") && (path.equals("/v1/runs") || path.equals("/v1/audits"));
    }

    private static HttpResponse<?> unauthorized(String detail) {
        return Problems.of(401, "Unauthorized", detail).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
}
