package dev.rotor.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.exceptions.SerdeException;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.io.IOException;
import java.util.List;

/**
 * Rotor's request bodies, read by the framework: unknown fields are refused ({@code ignoreUnknown = false}),
 * and booleans and string lists are read strictly. Micronaut Serialization would otherwise coerce
 * {@code "yes"} to {@code false} and {@code 1} to {@code true}, which for {@code revokePrevious} or
 * {@code repair} silently does something else than asked. Each refusal names the field
 * ({@link BadField}); {@link BodyProblems} turns every framework refusal into a precise problem.
 */
final class Requests {
    private Requests() {
    }

    /** {@code POST /v1/runs}. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Run(@Nullable @Serdeable.Deserializable(using = StrictStrings.class) List<String> kinds,
               @Nullable @Serdeable.Deserializable(using = StrictBoolean.class) Boolean dryRun) {
        static final Run NONE = new Run(null, null);
    }

    /** {@code POST /v1/audits}. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Audit(@Nullable @Serdeable.Deserializable(using = StrictBoolean.class) Boolean repair) {
        static final Audit NONE = new Audit(null);
    }

    /** {@code POST /v1/secrets/{project}/{secret}:rotate}. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Rotate(@NotBlank(message = "'reason' is required: a non-empty string")
                  @Size(max = SecretsController.MAX_REASON, message = "'reason' is longer than "
                          + SecretsController.MAX_REASON + " characters")
                  @Nullable @Serdeable.Deserializable(using = StrictString.class) String reason,
                  @Nullable @Serdeable.Deserializable(using = StrictBoolean.class) Boolean revokePrevious) {
    }

    /** {@code POST /v1/secrets/{project}/{secret}:rollback}. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Rollback(@NotBlank(message = "'reason' is required: a non-empty string")
                    @Size(max = SecretsController.MAX_REASON, message = "'reason' is longer than "
                            + SecretsController.MAX_REASON + " characters")
                    @Nullable @Serdeable.Deserializable(using = StrictString.class) String reason) {
    }

    /** A field of the wrong type; the message names the field and what it must be. */
    static final class BadField extends SerdeException {
        BadField(Argument<?> field, String expected) {
            super("'" + field.getName() + "' must be " + expected);
        }
    }

    /** Takes the JSON value only if it already is a {@code T}; never coerces. */
    abstract static class Strict<T> implements Deserializer<T> {
        private final Class<T> type;
        private final String expected;

        Strict(Class<T> type, String expected) {
            this.type = type;
            this.expected = expected;
        }

        @Override
        public T deserialize(Decoder decoder, DecoderContext context, Argument<? super T> field) throws IOException {
            Object value = decoder.decodeArbitrary();
            if (type.isInstance(value)) {
                return type.cast(value);
            }
            throw new BadField(field, expected);
        }
    }

    @Singleton
    static final class StrictBoolean extends Strict<Boolean> {
        StrictBoolean() {
            super(Boolean.class, "true or false");
        }
    }

    @Singleton
    static final class StrictString extends Strict<String> {
        StrictString() {
            super(String.class, "a string");
        }
    }

    @Singleton
    static final class StrictStrings implements Deserializer<List<String>> {
        @Override
        public List<String> deserialize(Decoder decoder, DecoderContext context, Argument<? super List<String>> type)
                throws IOException {
            if (decoder.decodeArbitrary() instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) {
                return list.stream().map(String.class::cast).toList();
            }
            throw new BadField(type, "a list of strings");
        }
    }
}
