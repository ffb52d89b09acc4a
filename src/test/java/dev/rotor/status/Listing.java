package dev.rotor.status;

import dev.rotor.api.Api;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/secrets} as the operator: the rows the page must show. */
final class Listing {
    private Listing() {
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> of(Api api) throws IOException {
        HttpResponse<String> r = api.as(Api.OPERATOR, "GET", "/v1/secrets", null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /v1/secrets: " + r.statusCode() + " " + r.body());
        }
        return (List<Map<String, Object>>) ObjectMapper.getDefault().readValue(r.body(), Map.class).get("secrets");
    }
}
