package dev.rotor.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** {@code application/x-www-form-urlencoded} pairs (query strings and form bodies) for the emulator's HTTP faces. */
public final class Forms {
    private Forms() {
    }

    /** The pairs of {@code raw} (null is none); a repeated name keeps its last value. */
    public static Map<String, String> parse(String raw) {
        Map<String, String> pairs = new HashMap<>();
        if (raw == null) {
            return pairs;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                pairs.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return pairs;
    }
}
