package dev.rotor.api.auth;

import dev.rotor.local.MutableClock;
import dev.rotor.local.iam.OidcIssuer;
import dev.rotor.status.StatusAccess;
import dev.rotor.status.StatusProperties;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Who may call which route, and which header counts, decided by the filter alone (the HTTP tests in
 * {@code dev.rotor.api} cover the same through a running server): one operator, one scheduler, tokens from a
 * Google-like issuer.
 */
class AuthFilterTest {
    private static final String AUDIENCE = "https://rotor.test";
    private static final String OPERATOR = "operator@demo-project.iam.gserviceaccount.com";
    private static final String SCHEDULER = "scheduler@demo-project.iam.gserviceaccount.com";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final OidcIssuer google = new OidcIssuer(clock);

    private AuthFilter filter(AuthMode mode, List<String> operators, List<String> schedulers) {
        AuthProperties p = new AuthProperties(mode.label(), List.of(AUDIENCE), null, AuthProperties.GOOGLE_JWKS,
                schedulers, operators, Duration.ofSeconds(30), Duration.ofSeconds(5), 4096);
        JwksSource jwks = kid -> Optional.of(google.publicKey()).filter(k -> k.getKeyID().equals(kid));
        return new AuthFilter(new TokenVerifier(jwks, p, mode, List.of(AUDIENCE), clock), p,
                new AuthSettings(p, null, true), new StatusAccess(new StatusProperties(false), false));
    }

    private AuthFilter filter() {
        // configured in another case than Google writes emails: principals match case-insensitively
        return filter(AuthMode.VERIFY, List.of("Operator@demo-project.iam.gserviceaccount.com"), List.of(SCHEDULER));
    }

    private static MutableHttpRequest<?> request(HttpMethod method, String path, Map<String, String> headers) {
        MutableHttpRequest<?> r = HttpRequest.create(method, path);
        headers.forEach(r::header);
        return r;
    }

    private MutableHttpRequest<?> as(String email, HttpMethod method, String path) {
        return request(method, path, Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + google.idToken(email, AUDIENCE)));
    }

    private static String detail(HttpResponse<?> response) {
        return String.valueOf(((Map<?, ?>) response.body()).get("detail"));
    }

    private static Caller caller(HttpRequest<?> request) {
        return request.getAttribute(Caller.ATTRIBUTE, Caller.class).orElse(null);
    }

    private static void assertRefused(int status, String detail, HttpResponse<?> response) {
        assertEquals(status, response.getStatus().getCode());
        assertEquals(detail, detail(response));
        if (status == 401) {
            assertEquals("Bearer", response.getHeaders().get(HttpHeaders.WWW_AUTHENTICATE));
        }
    }

    @Test
    void anOperatorMayCallEverythingAndIsRecordedAsTheCaller() {
        for (var call : List.of(Map.entry(HttpMethod.GET, "/v1/secrets"), Map.entry(HttpMethod.POST, "/v1/runs"),
                Map.entry(HttpMethod.POST, "/v1/secrets/p/db:rotate"))) {
            MutableHttpRequest<?> r = as(OPERATOR, call.getKey(), call.getValue());
            assertNull(filter().authenticate(r), call.toString());
            assertEquals(new Caller(OPERATOR, Caller.Role.OPERATOR), caller(r));
        }
    }

    @Test
    void aSchedulerMayPostRunsAndAuditsOnly() {
        for (String path : List.of("/v1/runs", "/v1/audits")) {
            MutableHttpRequest<?> r = as(SCHEDULER, HttpMethod.POST, path);
            assertNull(filter().authenticate(r), path);
            assertEquals(new Caller(SCHEDULER, Caller.Role.SCHEDULER), caller(r));
        }
        String onlyRuns = SCHEDULER + " may call runs and audits only";
        assertRefused(403, onlyRuns, filter().authenticate(as(SCHEDULER, HttpMethod.GET, "/v1/runs")));
        assertRefused(403, onlyRuns, filter().authenticate(as(SCHEDULER, HttpMethod.GET, "/v1/secrets")));
        assertRefused(403, onlyRuns, filter().authenticate(as(SCHEDULER, HttpMethod.POST, "/v1/runs/1")));
        MutableHttpRequest<?> refused = as(SCHEDULER, HttpMethod.POST, "/v1/secrets/p/db:rotate");
        assertRefused(403, onlyRuns, filter().authenticate(refused));
        assertNull(caller(refused), "a refused call carries no caller");
    }

    @Test
    void aPrincipalListedAsBothIsAnOperator() {
        AuthFilter both = filter(AuthMode.VERIFY, List.of(OPERATOR), List.of(OPERATOR));
        MutableHttpRequest<?> r = as(OPERATOR, HttpMethod.GET, "/v1/secrets");
        assertNull(both.authenticate(r));
        assertEquals(Caller.Role.OPERATOR, caller(r).role());
    }

    @Test
    void aValidTokenOfAnUnknownPrincipalIsForbidden() {
        String someone = "someone@demo-project.iam.gserviceaccount.com";
        assertRefused(403, someone + " is not allowed to call Rotor",
                filter().authenticate(as(someone, HttpMethod.POST, "/v1/runs")));
    }

    @Test
    void aMissingOrNonBearerCredentialIsUnauthorized() {
        String required = "a Google-signed ID token is required in the Authorization header (Bearer)";
        String good = google.idToken(OPERATOR, AUDIENCE);
        assertRefused(401, required, filter().authenticate(request(HttpMethod.GET, "/v1/secrets", Map.of())));
        assertRefused(401, required, filter().authenticate(request(HttpMethod.GET, "/v1/secrets",
                Map.of(HttpHeaders.AUTHORIZATION, "Basic " + good))));
        assertRefused(401, required, filter().authenticate(request(HttpMethod.GET, "/v1/secrets",
                Map.of(HttpHeaders.AUTHORIZATION, "Bearer    "))));
        assertNull(filter().authenticate(request(HttpMethod.GET, "/v1/secrets",
                Map.of(HttpHeaders.AUTHORIZATION, "bearer " + good + " "))), "the scheme is case-insensitive");
    }

    @Test
    void aRefusedTokenIsUnauthorizedWithTheCheckThatFailed() {
        String other = google.idToken(OPERATOR, "https://other.example");
        assertRefused(401, "the token's audience is not this service (rotor.auth.audiences)",
                filter().authenticate(request(HttpMethod.GET, "/v1/secrets",
                        Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + other))));
    }

    @Test
    void theServerlessHeaderCountsInCloudRunModeOnlyAndThenTakesPrecedence() {
        // Cloud Run checks X-Serverless-Authorization and not Authorization when both are sent (gcp-api-facts §7)
        Map<String, String> both = Map.of(AuthFilter.SERVERLESS_AUTHORIZATION, "Bearer " + google.idToken(SCHEDULER, AUDIENCE),
                HttpHeaders.AUTHORIZATION, "Bearer " + google.idToken(OPERATOR, AUDIENCE));
        AuthFilter cloudRun = filter(AuthMode.CLOUD_RUN, List.of(OPERATOR), List.of(SCHEDULER));
        MutableHttpRequest<?> r = request(HttpMethod.GET, "/v1/secrets", both);
        assertRefused(403, SCHEDULER + " may call runs and audits only", cloudRun.authenticate(r));
        MutableHttpRequest<?> verify = request(HttpMethod.GET, "/v1/secrets", both);
        assertNull(filter().authenticate(verify));
        assertEquals(OPERATOR, caller(verify).email(), "verify mode reads Authorization only");
        assertRefused(401, "a Google-signed ID token is required in the Authorization header (Bearer)",
                filter().authenticate(request(HttpMethod.GET, "/v1/secrets",
                        Map.of(AuthFilter.SERVERLESS_AUTHORIZATION, "Bearer " + google.idToken(OPERATOR, AUDIENCE)))));
    }
}
