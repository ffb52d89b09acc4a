package dev.rotor.rotation;

import dev.rotor.policy.PolicyParser;
import dev.rotor.policy.RotationState;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** Reads and writes {@code rotor.state} as one compact JSON object. */
public final class StateCodec {
    private static final ObjectMapper JSON = ObjectMapper.getDefault();

    private StateCodec() {
    }

    /** The recorded state; {@link RotationState#NEW} when there is none. Throws when it does not parse. */
    public static RotationState read(Map<String, String> annotations) {
        String raw = annotations.get(PolicyParser.STATE);
        if (raw == null || raw.isBlank()) {
            return RotationState.NEW;
        }
        try {
            return JSON.readValue(raw, RotationState.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("rotor.state does not parse as Rotor state; fix or remove it", e);
        }
    }

    public static Map<String, String> write(Map<String, String> annotations, RotationState state) {
        Map<String, String> copy = new HashMap<>(annotations);
        try {
            copy.put(PolicyParser.STATE, JSON.writeValueAsString(state));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }
}
