package dev.rotor.api;

import com.google.cloud.secretmanager.v1.SecretVersion;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cloud Scheduler's calls as they arrive on Cloud Run: its real headers, through the emulated Cloud Run
 * front end (on in every {@link Api} by default), which verifies the OIDC token and forwards it with the
 * signature removed to Rotor in {@code cloud-run} mode.
 */
class SchedulerEndToEndTest {
    private final Api api = new Api();

    @AfterEach
    void close() {
        api.close();
    }

    private Map<String, String> schedulerHeaders(String scheduleTime) {
        return Map.of("Authorization", "Bearer " + api.token(Api.SCHEDULER),
                "User-Agent", "Google-Cloud-Scheduler",
                "X-CloudScheduler", "true",
                "X-CloudScheduler-JobName", "rotor-rotate-keys",
                "X-CloudScheduler-ScheduleTime", scheduleTime,
                "X-Cloud-Trace-Context", "105445aa7843bc8bf206b12000100000/1;o=1");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String body) throws Exception {
        return ObjectMapper.getDefault().readValue(body, Map.class);
    }

    @Test
    void aScheduledCallRotatesAndARepeatedDeliveryReturnsTheSameReport() throws Exception {
        api.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"), true);
        HttpResponse<String> first = api.call("POST", "/v1/runs", null, schedulerHeaders("2026-01-05T10:00:00Z"));
        assertEquals(200, first.statusCode(), first.body());
        Map<String, Object> report = json(first.body());
        assertEquals("scheduled-2026-01-05T10:00:00Z", report.get("runId"));
        assertEquals(1, ((Map<String, Object>) report.get("summary")).get("rotated"));
        assertTrue(((String) report.get("startedAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*Z"),
                "RFC 3339 times: " + report.get("startedAt"));
        Map<String, Object> line = ((List<Map<String, Object>>) report.get("secrets")).getFirst();
        assertEquals("db", line.get("secret"));
        assertEquals("rotated", line.get("outcome"));
        assertEquals(1, line.get("toVersion"));

        api.env.clock.advance(Duration.ofDays(2)); // due again, but this is the same delivery
        HttpResponse<String> repeat = api.call("POST", "/v1/runs", null, schedulerHeaders("2026-01-05T10:00:00Z"));
        assertEquals(first.body(), repeat.body());
        assertEquals(1, versions("db").size());

        HttpResponse<String> next = api.call("POST", "/v1/runs", null, schedulerHeaders("2026-01-07T10:00:00Z"));
        assertEquals(200, next.statusCode());
        assertEquals(2, versions("db").size());
    }

    @Test
    void theCallGoesThroughTheFrontEndWhichRefusesASchedulerWithoutRunInvoker() throws Exception {
        api.declare("db", Map.of("rotor.kind", "generated"), true);
        Map<String, String> headers = new java.util.HashMap<>(schedulerHeaders("2026-01-05T10:00:00Z"));
        headers.put("Authorization", "Bearer " + api.token("other-scheduler@demo-project.iam.gserviceaccount.com"));
        HttpResponse<String> r = api.call("POST", "/v1/runs", null, headers);
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains("lacks roles/run.invoker on the emulated Cloud Run service"), r.body());
        assertEquals(0, versions("db").size());
    }

    @Test
    void aRunWithAFailedSecretAnswers500WithTheReport() throws Exception {
        api.declare("db", Map.of("rotor.kind", "generated"), true);
        api.env.emulator.faults().fail("AddSecretVersion", io.grpc.Status.Code.PERMISSION_DENIED,
                dev.rotor.local.faults.Faults.When.BEFORE, 1);
        HttpResponse<String> r = api.call("POST", "/v1/runs", "{\"kinds\":[\"generated\"]}", schedulerHeaders(
                "2026-01-05T11:00:00Z"));
        assertEquals(500, r.statusCode());
        assertEquals(1, ((Map<String, Object>) json(r.body()).get("summary")).get("failed"));
    }

    @Test
    void emergencyRotationRevokesThePreviousVersionsAndRecordsWhoAndWhy() throws Exception {
        api.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P30D"), true);
        api.as(Api.SCHEDULER, "POST", "/v1/runs", null);
        api.env.clock.advance(Duration.ofDays(31));
        api.as(Api.SCHEDULER, "POST", "/v1/runs", null);
        HttpResponse<String> r = api.as(Api.OPERATOR, "POST", "/v1/secrets/demo-project/db:rotate",
                "{\"reason\":\"key leaked in a CI log\",\"revokePrevious\":true}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(3, json(r.body()).get("toVersion"));
        List<SecretVersion> versions = versions("db");
        assertEquals(List.of(SecretVersion.State.ENABLED, SecretVersion.State.DISABLED, SecretVersion.State.DISABLED),
                versions.stream().map(SecretVersion::getState).toList());

        Map<String, Object> detail = json(api.as(Api.OPERATOR, "GET", "/v1/secrets/demo-project/db", null).body());
        assertEquals(Api.OPERATOR, detail.get("requestedBy"));
        assertEquals("key leaked in a CI log", detail.get("reason"));
        // Rotor's own bookkeeping aliases (the fence, key ids) are not shown: only what consumers use
        assertEquals(Map.of("current", 3, "previous", 2), detail.get("aliases"));
        Map<String, Object> listing = json(api.as(Api.OPERATOR, "GET", "/v1/secrets", null).body());
        Map<String, Object> row = ((List<Map<String, Object>>) listing.get("secrets")).getFirst();
        assertEquals(3, row.get("currentVersion"));
        assertEquals("generated", row.get("kind"));
        assertTrue(row.containsKey("nextDue"), row.toString());
    }

    private List<SecretVersion> versions(String id) {
        List<SecretVersion> all = new ArrayList<>();
        api.sm.listSecretVersions("projects/demo-project/secrets/" + id).iterateAll().forEach(all::add);
        return all;
    }
}
