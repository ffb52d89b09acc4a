package dev.rotor.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /v1/secrets/{project}/{secret}:rollback} over HTTP: 400, 409, 200. */
class RollbackRouteTest {
    private static final String PATH = "/v1/secrets/demo-project/db:rollback";
    private final Api api = new Api();

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void refusesBadInputAndAMissingPreviousVersionThenRollsBack() {
        api.declare("db", Map.of("rotor.kind", "generated"), true);
        assertEquals(200, api.as(Api.OPERATOR, "POST", "/v1/secrets/demo-project/db:rotate", "{\"reason\":\"seed\"}")
                .statusCode());
        HttpResponse<String> noReason = api.as(Api.OPERATOR, "POST", PATH, "{}");
        assertEquals(400, noReason.statusCode(), noReason.body());
        assertTrue(noReason.body().contains("'reason' is required"), noReason.body());
        HttpResponse<String> none = api.as(Api.OPERATOR, "POST", PATH, "{\"reason\":\"bad\"}");
        assertEquals(409, none.statusCode(), none.body());
        assertTrue(none.body().contains("no previous version"), none.body());
        assertEquals(200, api.as(Api.OPERATOR, "POST", "/v1/secrets/demo-project/db:rotate", "{\"reason\":\"again\"}")
                .statusCode());
        HttpResponse<String> ok = api.as(Api.OPERATOR, "POST", PATH, "{\"reason\":\"version 2 broke it\"}");
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("\"outcome\":\"rolled-back\""), ok.body());
        assertEquals(403, api.as(Api.SCHEDULER, "POST", PATH, "{\"reason\":\"x\"}").statusCode());
    }
}
