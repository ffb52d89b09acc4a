package dev.rotor.api;

import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.cloud.iam.credentials.v1.IamCredentialsClient;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import dev.rotor.gcp.FakeApplicationDefaultCredentials;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Google clients are built as the context starts, off the request path, so a cold start's first readiness
 * probe does not pay for their class initialisation; probes that arrive during that build wait for it and
 * get one answer, with each client built once.
 */
class ReadinessStartupTest {
    private static final List<Class<?>> CLIENTS = List.of(SecretManagerServiceClient.class,
            KeyManagementServiceClient.class, IamCredentialsClient.class, IAMClient.class, ServicesClient.class);
    /** A bound for a failing run only: the build takes well under a second when it happens at all. */
    private static final Duration AT_MOST = Duration.ofSeconds(60);

    private static Map<String, Object> production() {
        return Map.of("rotor.credentials", "application-default", FakeApplicationDefaultCredentials.PROPERTY, "true");
    }

    @Test
    void everyClientIsBuiltAtStartupWithoutAnyProbe() throws InterruptedException {
        try (ApplicationContext ctx = ApplicationContext.run(production(), "test")) {
            Instant deadline = Instant.now().plus(AT_MOST);
            while (!CLIENTS.stream().allMatch(c -> built(ctx, c) == 1) && Instant.now().isBefore(deadline)) {
                Thread.sleep(10);
            }
            for (Class<?> client : CLIENTS) {
                assertEquals(1, built(ctx, client), client.getSimpleName() + " was not built at startup");
            }
        }
    }

    @Test
    void concurrentFirstProbesAllSeeReadyAndEachClientIsBuiltOnce() throws Exception {
        int probes = 8;
        ExecutorService pool = Executors.newFixedThreadPool(probes);
        try (ApplicationContext ctx = ApplicationContext.run(production(), "test")) {
            Readiness readiness = ctx.getBean(Readiness.class);
            CyclicBarrier start = new CyclicBarrier(probes);
            List<CompletableFuture<Optional<String>>> answers = IntStream.range(0, probes)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        await(start);
                        return readiness.problem();
                    }, pool)).toList();
            for (CompletableFuture<Optional<String>> answer : answers) {
                assertEquals(Optional.empty(), answer.get(AT_MOST.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            }
            for (Class<?> client : CLIENTS) {
                assertEquals(1, built(ctx, client), client.getSimpleName());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClientThatCannotBeBuiltIsTriedAgainByEveryProbe() {
        Map<String, Object> badKms = new java.util.HashMap<>(production());
        badKms.put("rotor.gcp.kms.endpoint", "cloudkms.googleapis.com");
        try (ApplicationContext ctx = ApplicationContext.run(badKms, "test")) {
            Readiness readiness = ctx.getBean(Readiness.class);
            for (int probe = 0; probe < 3; probe++) {
                String problem = readiness.problem().orElse("");
                assertTrue(problem.startsWith("KeyManagementServiceClient cannot be built"), problem);
            }
            assertEquals(1, built(ctx, SecretManagerServiceClient.class));
        }
    }

    private static int built(ApplicationContext ctx, Class<?> client) {
        return ctx.getActiveBeanRegistrations(client).size();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
