package dev.rotor.api;

import dev.rotor.error.RemoteException;
import dev.rotor.rotation.ManualRotation;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Rotor's errors into problem responses. A Google-side failure becomes 404 (the secret does not
 * exist), 502 (Rotor's own identity lacks a permission) or 503 (try again); its message names resources,
 * never payloads.
 */
final class ProblemHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandlers.class);

    private ProblemHandlers() {
    }

    @Singleton
    @Produces
    @Requires(classes = ProblemException.class)
    static final class Problem implements ExceptionHandler<ProblemException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ProblemException e) {
            return Problems.of(e.status(), HttpStatus.valueOf(e.status()).getReason(), e.getMessage());
        }
    }

    @Singleton
    @Produces
    static final class Refused implements ExceptionHandler<ManualRotation.Refused, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ManualRotation.Refused e) {
            return Problems.of(409, "Conflict", e.getMessage());
        }
    }

    @Singleton
    @Produces
    static final class Remote implements ExceptionHandler<RemoteException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, RemoteException e) {
            return switch (e) {
                case RemoteException.NotFound nf -> Problems.of(404, "Not Found", nf.getMessage());
                case RemoteException.PermissionDenied pd -> Problems.of(502, "Bad Gateway",
                        "Rotor's service account lacks a permission: " + pd.getMessage());
                case RemoteException.Retryable r -> Problems.of(503, "Service Unavailable", r.getMessage()
                        + "; nothing was changed by this request, try again");
                default -> {
                    LOG.error("request {} {} failed: {}", request.getMethod(), request.getPath(), e.getMessage());
                    yield Problems.of(500, "Internal Server Error", e.getMessage());
                }
            };
        }
    }
}
