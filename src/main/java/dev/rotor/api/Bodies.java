package dev.rotor.api;

import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict reading of Rotor's small JSON request bodies: an object, only known fields, each of the right
 * type. Every refusal says which field and what was expected.
 */
final class Bodies {
    private Bodies() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String body, Set<String> allowed) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        Object parsed;
        try {
            parsed = ObjectMapper.getDefault().readValue(body, Object.class);
        } catch (IOException | RuntimeException e) {
            throw ProblemException.badRequest("the body is not valid JSON");
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw ProblemException.badRequest("the body must be a JSON object");
        }
        for (Object key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw ProblemException.badRequest("unknown field '" + key + "'; allowed: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return (Map<String, Object>) map;
    }

    static boolean bool(Map<String, Object> body, String field, boolean fallback) {
        Object v = body.get(field);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw ProblemException.badRequest("'" + field + "' must be true or false");
    }

    static String string(Map<String, Object> body, String field, int maxLength) {
        Object v = body.get(field);
        if (!(v instanceof String s) || s.isBlank()) {
            throw ProblemException.badRequest("'" + field + "' is required: a non-empty string");
        }
        if (s.length() > maxLength) {
            throw ProblemException.badRequest("'" + field + "' is longer than " + maxLength + " characters");
        }
        return s;
    }

    static List<String> strings(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw ProblemException.badRequest("'" + field + "' must be a list of strings");
    }
}
