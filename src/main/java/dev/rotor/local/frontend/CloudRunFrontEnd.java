package dev.rotor.local.frontend;

import dev.rotor.api.Problems;
import dev.rotor.api.auth.AuthFilter;
import dev.rotor.api.auth.AuthMode;
import dev.rotor.api.auth.AuthProperties;
import dev.rotor.api.auth.AuthSettings;
import dev.rotor.api.auth.JwksSource;
import dev.rotor.api.auth.TokenVerifier;
import dev.rotor.status.StatusAccess;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Locale;

/**
 * What Cloud Run's front end does before a request reaches a service with the invoker IAM check on
 * (gcp-api-facts §7): it verifies the caller's Google-signed ID token (signature, issuer, audience = the
 * service URL or a custom audience, expiry), requires the caller to hold {@code run.invoker}, and passes the
 * token on with its signature replaced by {@link TokenVerifier#SIGNATURE_REMOVED}. The header it checks is
 * {@code X-Serverless-Authorization} when present, else {@code Authorization}. A refusal here is 401 (bad or
 * missing token) or 403 (not an invoker) and the request never reaches Rotor, as on Cloud Run (whose own
 * refusals are HTML pages; this one answers with a problem so tests and curl users can read why).
 *
 * <p>Local mode and tests put it in front of {@code /v1} and the status page, so Rotor runs in {@code cloud-run}
 * mode exactly as deployed (on Cloud Run the invoker check covers every path). The emulator signs the tokens, so
 * the front end verifies against the emulator's keys. Local mode opens the status page ({@link StatusAccess}).
 */
@ServerFilter({"/v1/**", StatusAccess.PATH})
@Requires(property = "rotor.emulator.enabled", value = "true")
@Requires(property = "rotor.emulator.front-end.enabled", value = "true")
public class CloudRunFrontEnd implements Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(CloudRunFrontEnd.class);
    private final TokenVerifier verifier;
    private final FrontEndProperties properties;
    private final StatusAccess status;

    public CloudRunFrontEnd(JwksSource keys, AuthProperties auth, AuthSettings settings, Clock clock,
                            FrontEndProperties properties, StatusAccess status) {
        this.verifier = new TokenVerifier(keys, auth, AuthMode.VERIFY, settings.audiences(), clock);
        this.properties = properties;
        this.status = status;
    }

    /** Before Rotor's own filters: on Cloud Run nothing in the container runs before this check. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> forward(MutableHttpRequest<?> request) {
        if (status.open(request)) {
            return null;
        }
        boolean serverless = request.getHeaders().contains(AuthFilter.SERVERLESS_AUTHORIZATION);
        String token = AuthFilter.bearer(request, AuthMode.CLOUD_RUN);
        if (token == null) {
            return refuse(401, "the emulated Cloud Run front end requires an ID token (Authorization: Bearer)");
        }
        String email;
        try {
            email = verifier.verify(token);
        } catch (TokenVerifier.Unauthorized e) {
            LOG.info("front end refused {} {}: {}", request.getMethod(), request.getPath(), e.getMessage());
            return refuse(401, "the emulated Cloud Run front end refused the token: " + e.getMessage());
        }
        String lower = email.toLowerCase(Locale.ROOT);
        if (properties.invokers().stream().noneMatch(i -> i.equalsIgnoreCase(lower))) {
            return refuse(403, email + " lacks roles/run.invoker on the emulated Cloud Run service "
                    + "(rotor.emulator.front-end.invokers)");
        }
        String forwarded = "Bearer " + token.substring(0, token.lastIndexOf('.') + 1) + TokenVerifier.SIGNATURE_REMOVED;
        request.getHeaders().set(serverless ? AuthFilter.SERVERLESS_AUTHORIZATION : HttpHeaders.AUTHORIZATION, forwarded);
        return null;
    }

    private static HttpResponse<?> refuse(int status, String detail) {
        var response = Problems.of(status, status == 401 ? "Unauthorized" : "Forbidden", detail);
        return status == 401 ? response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer") : response;
    }
}
