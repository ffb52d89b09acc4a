package dev.rotor.status;

import dev.rotor.api.Api;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The listing (and so the page) calls a secret misconfigured exactly when a run does: a declaration that does not
 * parse, a state record that cannot be read, and CMEK asked of a secret without a customer-managed key.
 */
class MisconfiguredRowTest {
    @Test
    @SuppressWarnings("unchecked")
    void theListingAndTheRunAgreeOnWhatIsMisconfigured() throws Exception {
        try (Api rotor = new Api()) {
            rotor.declare("no-kind", Map.of(), true);
            rotor.declare("garbled-state", Map.of("rotor.kind", "generated", "rotor.state", "{not json"), true);
            rotor.declare("not-cmek", Map.of("rotor.kind", "generated", "rotor.encryption", "cmek"), true);
            HttpResponse<String> run = rotor.as(Api.SCHEDULER, "POST", "/v1/runs", null);
            List<Map<String, Object>> results = (List<Map<String, Object>>) ObjectMapper.getDefault()
                    .readValue(run.body(), Map.class).get("secrets");
            Map<String, Map<String, Object>> listed = new java.util.HashMap<>();
            Listing.of(rotor).forEach(r -> listed.put((String) r.get("secret"), r));
            assertEquals(3, results.size(), run.body());
            for (Map<String, Object> result : results) {
                assertEquals("misconfigured", result.get("outcome"), result.toString());
                Map<String, Object> row = listed.get((String) result.get("secret"));
                assertEquals("misconfigured: " + result.get("error"), row.get("lastOutcome"), row.toString());
                assertEquals(null, row.get("nextDue"), "a refused declaration is not scheduled: " + row);
            }
            assertEquals("generated", listed.get("garbled-state").get("kind"), "the kind still shows when it parsed");
        }
    }
}
