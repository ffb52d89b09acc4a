package dev.rotor.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The framework's own errors (unknown route, wrong method, body too large, unreadable body) as RFC 9457
 * problems too. A 5xx never shows the exception: its detail says to look in the log.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponses implements ErrorResponseProcessor<Map<String, Object>> {
    @Override
    public MutableHttpResponse<Map<String, Object>> processResponse(ErrorContext context,
                                                                    MutableHttpResponse<?> response) {
        int status = response.code();
        String detail = status >= 500 ? "Rotor failed to handle the request; the log has the details"
                : context.getErrors().stream().map(Error::getMessage).findFirst().orElse(response.reason());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", response.reason());
        body.put("status", status);
        body.put("detail", detail);
        return response.body(body).contentType(Problems.MEDIA_TYPE);
    }
}
