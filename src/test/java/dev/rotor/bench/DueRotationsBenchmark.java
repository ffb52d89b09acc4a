package dev.rotor.bench;

import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.protobuf.ByteString;
import dev.rotor.local.EmulatedContext;
import dev.rotor.local.secretmanager.SecretManagerState;
import dev.rotor.policy.RotationState;
import dev.rotor.rotation.RunReport;
import dev.rotor.rotation.RunService;
import dev.rotor.rotation.StateCodec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * N due rotations (each also retiring its oldest version) against the emulator with 25 ms per RPC and
 * Secret Manager's 600 writes/min quota enforced in real time. Reports writes per rotation, rotations a
 * minute against the quota bound (600 / writes per rotation), and quota errors.
 * Run: bench/java.sh DueRotationsBenchmark [N]
 */
public final class DueRotationsBenchmark {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        try (EmulatedContext env = new EmulatedContext(Map.of("rotor.projects", "demo-project"),
                Map.of(Clock.class, Clock.systemUTC()))) {
            seed(env.emulator.secretManager(), n, Instant.now());
            env.emulator.faults().latency("*", Duration.ofMillis(25));
            env.emulator.faults().resetCounts();
            long t0 = System.nanoTime();
            RunReport report = env.bean(RunService.class).run(new RunService.RunRequest("bench", Set.of(), false));
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<String> log = env.emulator.faults().log();
            long writes = log.stream().filter(m -> !m.startsWith("List") && !m.startsWith("Get")
                    && !m.startsWith("Access")).count();
            long reads = log.stream().filter(m -> m.startsWith("List") || m.startsWith("Get")).count();
            int rotated = report.summary().rotated();
            double perRotation = (double) writes / rotated;
            double perMinute = rotated / seconds * 60;
            double bound = 600 / perRotation;
            System.out.printf("%d due rotations, 25 ms per RPC, 600 writes/min quota, concurrency 8%n", n);
            System.out.printf("  rotated %d, failed %d in %.1f s%n", rotated, report.summary().failed(), seconds);
            System.out.printf("  Secret Manager writes per rotation (with retirement): %.2f; reads: %d in all%n",
                    perRotation, reads);
            System.out.printf("  rotations per minute: %.0f; quota bound %.0f; %.0f%% of the bound%n", perMinute,
                    bound, 100 * perMinute / bound);
            System.out.printf("  RESOURCE_EXHAUSTED from the emulator: %d%n", env.emulator.quotas().rejected());
        }
    }

    /** Each secret: versions 1 and 2, current 2 rotated 31 days ago (due), a destroy TTL (retire = 1 write). */
    private static void seed(SecretManagerState sm, int n, Instant now) {
        RotationState state = new RotationState(RotationState.Phase.IDLE, 2L, 1L, now.minus(Duration.ofDays(31)), null,
                Map.of(), "rotated", 0, null, null, null, null, null, false, null, null);
        Map<String, String> annotations = StateCodec.write(Map.of("rotor.kind", "generated", "rotor.rotate-every", "P30D",
                "rotor.grace", "PT0S"), state);
        for (int i = 0; i < n; i++) {
            String name = "projects/demo-project/secrets/s" + i;
            sm.create("projects/demo-project", "s" + i, Secret.newBuilder().putLabels("rotor", "managed")
                    .putAllAnnotations(new HashMap<>(annotations))
                    .setVersionDestroyTtl(com.google.protobuf.Duration.newBuilder().setSeconds(86_400))
                    .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()))
                    .build());
            for (int v = 0; v < 2; v++) {
                sm.add(name, SecretPayload.newBuilder().setData(ByteString.copyFromUtf8("old-" + v)).build());
            }
        }
    }
}
