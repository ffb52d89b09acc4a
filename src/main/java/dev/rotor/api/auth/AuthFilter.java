package dev.rotor.api.auth;

import dev.rotor.api.Problems;
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
 * Every {@code /v1} call needs a valid ID token in {@code Authorization: Bearer}. 401 (with
 * {@code WWW-Authenticate: Bearer}) for a missing or invalid token, 403 for a valid token of a principal not
 * allowed on the route: schedulers may call {@code POST /v1/runs} and {@code POST /v1/audits}; operators
 * everything. Cloud Run's own invoker check stays on in front of this (defence in depth).
 */
@ServerFilter("/v1/**")
public class AuthFilter {
    private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);
    private final TokenVerifier verifier;
    private final AuthProperties properties;

    public AuthFilter(TokenVerifier verifier, AuthProperties properties) {
        this.verifier = verifier;
        this.properties = properties;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized("a Google-signed ID token is required in the Authorization header (Bearer)");
        }
        String email;
        try {
            email = verifier.verify(header.substring(7).trim());
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
