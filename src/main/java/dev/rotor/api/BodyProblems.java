package dev.rotor.api;

import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.JsonExceptionHandler;
import io.micronaut.json.JsonSyntaxException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;

import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request body the framework could not read, as a problem that says exactly what to fix: not JSON, not an
 * object, an unknown field (with the allowed ones), or a field of the wrong type. Micronaut Serialization
 * reports an unknown field only in its message text, so that one match lives here, in {@link #unknownField}.
 */
@Singleton
@Produces
@Replaces(ConversionErrorHandler.class)
final class BodyProblems implements ExceptionHandler<ConversionErrorException, HttpResponse<?>> {
    /** A body that is not JSON at all (the parser's message, with its offsets, says nothing more useful). */
    @Singleton
    @Produces
    @Replaces(JsonExceptionHandler.class)
    static final class NotJson implements ExceptionHandler<JsonSyntaxException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, JsonSyntaxException e) {
            return Problems.of(400, "Bad Request", "the body is not valid JSON");
        }
    }

    /** A body that was read but breaks a constraint: the constraint's own message, which names the field. */
    @Singleton
    @Produces
    @Replaces(ConstraintExceptionHandler.class)
    static final class Constraints implements ExceptionHandler<ConstraintViolationException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ConstraintViolationException e) {
            return Problems.of(400, "Bad Request", e.getConstraintViolations().stream().map(ConstraintViolation::getMessage)
                    .sorted().findFirst().orElse("the body breaks a constraint"));
        }
    }

    private static final Pattern UNKNOWN = Pattern.compile("Unknown property \\[([^\\]]{0,80})\\] encountered");

    @Override
    public HttpResponse<?> handle(HttpRequest request, ConversionErrorException e) {
        return Problems.of(400, "Bad Request", detail(e, e.getArgument().getType()));
    }

    static String detail(Throwable e, Class<?> body) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Requests.BadField bad) {
                return bad.getMessage();
            }
            if (t instanceof JsonSyntaxException) {
                return "the body is not valid JSON";
            }
            String unknown = unknownField(t.getMessage());
            if (unknown != null) {
                return "unknown field '" + unknown + "'; allowed: "
                        + String.join(", ", new TreeSet<>(List.of(BeanIntrospection.getIntrospection(body).getPropertyNames())));
            }
        }
        return "the body must be a JSON object";
    }

    /** The field named in Micronaut Serialization's "Unknown property [x] encountered ..." message, or null. */
    static String unknownField(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = UNKNOWN.matcher(message);
        return m.find() ? m.group(1) : null;
    }
}
