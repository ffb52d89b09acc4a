package dev.rotor.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets a 4xx problem with a detail, never a 5xx, and changes nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private static final Map<String, String> POLICY = Map.of("rotor.kind", "generated");
    private Api api;

    @BeforeAll
    void start() {
        api = new Api();
        api.declare("db", POLICY, true);
        api.declare("plain", Map.of(), false);
        assertEquals(200, api.as(Api.OPERATOR, "POST", "/v1/secrets/demo-project/db:rotate", "{\"reason\":\"seed\"}")
                .statusCode());
    }

    @AfterAll
    void stop() {
        api.close();
    }

    /** Every secret's etag and version count: any write changes it. */
    private String snapshot() {
        StringBuilder sb = new StringBuilder();
        api.sm.listSecrets("projects/demo-project").iterateAll().forEach(s -> {
            sb.append(s.getName()).append(s.getEtag());
            api.sm.listSecretVersions(s.getName()).iterateAll().forEach(v -> sb.append(v.getName()).append(v.getState()));
        });
        return sb.toString();
    }

    private void refused(int status, String method, String path, String body, String detailPart) {
        HttpResponse<String> r = api.as(Api.OPERATOR, method, path, body);
        assertEquals(status, r.statusCode(), method + " " + path + " " + body + " -> " + r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertTrue(r.body().contains(detailPart), r.body());
    }

    @Test
    void namedCasesGetPreciseProblems() {
        String before = snapshot();
        refused(400, "POST", "/v1/runs", "{not json", "not valid JSON");
        refused(400, "POST", "/v1/runs", "[1,2]", "must be a JSON object");
        refused(400, "POST", "/v1/runs", "{\"dryRun\":\"yes\"}", "'dryRun' must be true or false");
        refused(400, "POST", "/v1/runs", "{\"kinds\":[\"password\"]}", "is not a kind");
        refused(400, "POST", "/v1/runs", "{\"dryrun\":true}", "unknown field 'dryrun'");
        refused(400, "POST", "/v1/audits", "{\"repair\":1}", "'repair' must be true or false");
        refused(400, "POST", "/v1/secrets/demo-project/db:rotate", "{}", "'reason' is required");
        refused(400, "POST", "/v1/secrets/demo-project/db:rotate", "{\"reason\":\"  \"}", "'reason' is required");
        refused(400, "POST", "/v1/secrets/demo-project/db:rotate", "{\"reason\":\"" + "x".repeat(501) + "\"}",
                "longer than 500");
        refused(400, "POST", "/v1/secrets/demo-project/db:rotate", "{\"reason\":\"r\",\"force\":true}", "unknown field");
        // read strictly: the framework alone would take "yes" as false and 1 as true
        refused(400, "POST", "/v1/secrets/demo-project/db:rotate", "{\"reason\":\"r\",\"revokePrevious\":\"yes\"}",
                "'revokePrevious' must be true or false");
        refused(400, "POST", "/v1/secrets/demo-project/db:rotate", "{\"reason\":5}", "'reason' must be a string");
        refused(400, "POST", "/v1/runs", "{\"kinds\":[null]}", "'kinds' must be a list of strings");
        refused(400, "POST", "/v1/runs", "{\"dryrun\":true}", "allowed: dryRun, kinds");
        refused(400, "GET", "/v1/secrets/demo-project/" + "a".repeat(256), null, "not a valid secret id");
        refused(400, "GET", "/v1/secrets/demo-project/caf%C3%A9", null, "not a valid secret id");
        refused(400, "GET", "/v1/secrets/Demo-Project/db", null, "not a valid project id");
        refused(400, "GET", "/v1/secrets/demo-project/..%2F..%2Fetc", null, "not a valid secret id");
        refused(404, "GET", "/v1/secrets/demo-project/missing", null, "not found");
        refused(404, "POST", "/v1/secrets/demo-project/missing:rotate", "{\"reason\":\"r\"}", "not found");
        refused(409, "POST", "/v1/secrets/demo-project/plain:rotate", "{\"reason\":\"r\"}", "lacks the label rotor=managed");
        refused(409, "GET", "/v1/secrets/demo-project/plain", null, "lacks the label rotor=managed");
        refused(413, "POST", "/v1/runs", "{\"kinds\":[\"" + "g".repeat(70_000) + "\"]}", "detail");
        refused(404, "GET", "/v1/nothing-here", null, "detail");
        refused(405, "DELETE", "/v1/runs", null, "detail");
        assertEquals(before, snapshot(), "bad input changed nothing");
    }

    @Test
    void aThousandRandomMalformedRequestsAllGetFourHundreds() {
        Random random = new Random(20261121L);
        String before = snapshot();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String[] call = malformed(random);
            HttpResponse<String> r = api.as(Api.OPERATOR, call[0], call[1], call[2]);
            seen.add(call[0] + " " + call[1]);
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500,
                    "request " + i + " " + call[0] + " " + call[1] + " " + call[2] + " -> " + r.statusCode() + " " + r.body());
            assertTrue(r.body().contains("\"detail\""), r.body());
        }
        assertEquals(before, snapshot(), "malformed requests changed nothing");
        System.out.println("random malformed requests: " + seen.size() + " (seed 20261121)");
    }

    /** A request that is malformed by construction: bad JSON, a bad field, or a bad name. */
    private static String[] malformed(Random r) {
        String[] goodPaths = {"/v1/runs", "/v1/audits", "/v1/secrets/demo-project/db:rotate"};
        return switch (r.nextInt(4)) {
            case 0 -> new String[] {"POST", goodPaths[r.nextInt(3)], brokenJson(r)};
            case 1 -> new String[] {"POST", goodPaths[r.nextInt(3)], "{\"" + word(r) + "x\":" + value(r) + "}"};
            case 2 -> new String[] {"POST", goodPaths[r.nextInt(2)], wrongType(r)};
            default -> new String[] {r.nextBoolean() ? "GET" : "POST", "/v1/secrets/" + badName(r) + "/"
                    + URLEncoder.encode(word(r), StandardCharsets.UTF_8).replace("+", "%20")
                    + (r.nextBoolean() ? ":rotate" : ""), "{\"reason\":\"fuzz\"}"};
        };
    }

    private static String brokenJson(Random r) {
        String json = "{\"dryRun\":true,\"kinds\":[\"generated\"],\"reason\":\"x\"}";
        return switch (r.nextInt(3)) {
            case 0 -> json.substring(0, 1 + r.nextInt(json.length() - 2));
            case 1 -> new String(randomBytes(r), StandardCharsets.ISO_8859_1).replace('{', '(');
            default -> "\"" + word(r) + "\"";
        };
    }

    private static String wrongType(Random r) {
        String[] fields = {"dryRun", "repair"};
        String v = switch (r.nextInt(4)) {
            case 0 -> "\"true\"";
            case 1 -> Integer.toString(r.nextInt(5));
            case 2 -> "[]";
            default -> "{}";
        };
        String[] notAListOfStrings = {"\"generated\"", "7", "{}", "[1]", "[null]", "true"};
        return r.nextBoolean() ? "{\"" + fields[r.nextInt(2)] + "\":" + v + "}"
                : "{\"kinds\":" + notAListOfStrings[r.nextInt(notAListOfStrings.length)] + "}";
    }

    private static String badName(Random r) {
        String[] bad = {"A", "ab", "UPPER-case", "-lead", "trail-", "x".repeat(31), "d%C3%A9mo-project", "..", "a_b_c_d"};
        return bad[r.nextInt(bad.length)];
    }

    private static String word(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    private static String value(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> "true";
            case 1 -> "\"" + word(r) + "\"";
            default -> "null";
        };
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[1 + r.nextInt(64)];
        r.nextBytes(b);
        return b;
    }
}
