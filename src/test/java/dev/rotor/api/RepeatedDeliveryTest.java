package dev.rotor.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cloud Scheduler delivers at least once (gcp-api-facts §10): deliveries of one scheduled run that arrive at
 * the same moment, through HTTP and the real {@link RunLedger}, share one pass and one report. (A repeat
 * after the first pass finished is {@code SchedulerEndToEndTest.aScheduledCallRotatesAndARepeatedDeliveryReturnsTheSameReport}.)
 */
class RepeatedDeliveryTest {
    private static final int DELIVERIES = 4;
    private final Api api = new Api();

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void deliveriesOfOneScheduledRunArrivingTogetherShareOnePassAndOneReport() throws Exception {
        api.declare("db", Map.of("rotor.kind", "generated"), true);
        Map<String, String> headers = Map.of("Authorization", "Bearer " + api.token(Api.SCHEDULER),
                "X-CloudScheduler", "true", "X-CloudScheduler-ScheduleTime", "2026-01-05T10:00:00Z");
        CyclicBarrier start = new CyclicBarrier(DELIVERIES);
        ExecutorService pool = Executors.newFixedThreadPool(DELIVERIES);
        List<HttpResponse<String>> answers = new ArrayList<>();
        try {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < DELIVERIES; i++) {
                calls.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return api.call("POST", "/v1/runs", null, headers);
                }));
            }
            for (Future<HttpResponse<String>> call : calls) {
                answers.add(call.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        for (HttpResponse<String> answer : answers) {
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(answers.getFirst().body(), answer.body(), "every delivery gets the one pass's report");
        }
        assertTrue(answers.getFirst().body().contains("\"rotated\":1"), answers.getFirst().body());
        assertEquals(1, versions(), "one pass added one version");
    }

    private long versions() {
        long n = 0;
        for (var ignored : api.sm.listSecretVersions("projects/demo-project/secrets/db").iterateAll()) {
            n++;
        }
        return n;
    }
}
