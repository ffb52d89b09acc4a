package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.SecretVersion;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConcurrencyTest {
    /** Starts {@code n} runs at the same moment, each under its own run id. */
    private static List<CompletableFuture<RunReport>> startTogether(Engine e, int n) {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<RunReport>> runs = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            String id = "concurrent-" + r;
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
                return e.env.bean(RunService.class).run(new RunService.RunRequest(id, Set.of(), false));
            }));
        }
        start.countDown();
        return runs;
    }

    @Test
    void eightConcurrentRunsRotateEachOfFiftyDueSecretsExactlyOnce() throws Exception {
        try (Engine e = new Engine()) {
            for (int i = 0; i < 50; i++) {
                e.declare("s" + i, Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"));
            }
            e.run();
            e.env.clock.advance(Duration.ofDays(2));
            List<CompletableFuture<RunReport>> runs = startTogether(e, 8);
            int rotated = 0;
            int failed = 0;
            for (CompletableFuture<RunReport> f : runs) {
                RunReport report = f.get();
                rotated += report.summary().rotated();
                failed += report.summary().failed();
            }
            assertEquals(0, failed);
            assertEquals(50, rotated, "each secret rotated by exactly one run");
            for (int i = 0; i < 50; i++) {
                List<SecretVersion> versions = e.versions("s" + i);
                assertEquals(2, versions.size(), "s" + i + " has " + versions);
                assertEquals(2L, e.aliases("s" + i).get("current"));
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"service-account-key", "access-token", "id-token"})
    void eightConcurrentRunsRotateEachSecretOfEveryKindExactlyOnce(String kind) throws Exception {
        try (Engine e = new Engine()) {
            int n = 12;
            for (int i = 0; i < n; i++) {
                String sa = e.account("sa" + i);
                e.declare("s" + i, Map.of("rotor.kind", kind, "rotor.service-account", sa, "rotor.rotate-every", "P1D",
                        "rotor.audience", "https://backend.example"));
            }
            e.run();
            e.env.clock.advance(Duration.ofDays(2));
            List<CompletableFuture<RunReport>> runs = startTogether(e, 8);
            int rotated = 0;
            for (CompletableFuture<RunReport> f : runs) {
                RunReport report = f.get();
                assertEquals(0, report.summary().failed(), report.toString());
                rotated += report.summary().rotated();
            }
            assertEquals(n, rotated);
            for (int i = 0; i < n; i++) {
                assertEquals(2, e.versions("s" + i).size());
            }
        }
    }

    @Test
    void theSameSchedulerRunDeliveredTwiceChangesNothingTheSecondTime() {
        try (Engine e = new Engine()) {
            e.declare("db", Map.of("rotor.kind", "generated"));
            RunService runs = e.env.bean(RunService.class);
            RunReport first = runs.run(new RunService.RunRequest("2026-01-05T10:00:00Z", Set.of(), false));
            String etag = e.client.getSecret(Engine.name("db")).getEtag();
            RunReport second = runs.run(new RunService.RunRequest("2026-01-05T10:00:00Z", Set.of(), false));
            assertEquals(1, first.summary().rotated());
            assertEquals(0, second.summary().rotated());
            assertEquals(etag, e.client.getSecret(Engine.name("db")).getEtag());
            assertEquals(1, e.versions("db").size());
        }
    }
}
