package dev.rotor.api;

import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The listing is cached (5 s by default), yet shows this instance's own writes at once. */
class ListingFreshnessTest {
    private final Api api = new Api(Map.of("rotor.listing-cache-ttl", "10m"));

    @AfterEach
    void close() {
        api.close();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> listing() throws Exception {
        HttpResponse<String> r = api.as(Api.OPERATOR, "GET", "/v1/secrets", null);
        assertEquals(200, r.statusCode(), r.body());
        return (List<Map<String, Object>>) ObjectMapper.getDefault().readValue(r.body(), Map.class).get("secrets");
    }

    private Object currentVersion(String secret) throws Exception {
        return listing().stream().filter(row -> secret.equals(row.get("secret"))).findFirst().orElseThrow()
                .get("currentVersion");
    }

    private void rotate(String secret) {
        HttpResponse<String> r = api.as(Api.OPERATOR, "POST", "/v1/secrets/demo-project/" + secret + ":rotate",
                "{\"reason\":\"leaked\",\"revokePrevious\":true}");
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void theListingShowsTheNewVersionRightAfterRotate() throws Exception {
        api.declare("db", Map.of("rotor.kind", "generated"), true);
        api.declare("other", Map.of("rotor.kind", "generated"), true);
        assertEquals(null, currentVersion("db"));
        rotate("db");
        assertEquals(1, currentVersion("db"));
        rotate("db");
        rotate("db");
        assertEquals(3, currentVersion("db"));
        assertEquals(null, currentVersion("other"), "other rows keep their cached value");
    }

    @Test
    void everythingElseStillComesFromTheCache() throws Exception {
        api.declare("db", Map.of("rotor.kind", "generated"), true);
        assertEquals(1, listing().size());
        api.declare("made-elsewhere", Map.of("rotor.kind", "generated"), true);
        assertEquals(1, listing().size(), "a secret another writer made shows once the cache expires");
    }
}
