package dev.rotor.bench;

import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import dev.rotor.local.EmulatedContext;
import dev.rotor.local.secretmanager.SecretManagerState;
import dev.rotor.policy.RotationState;
import dev.rotor.rotation.RunReport;
import dev.rotor.rotation.RunService;
import dev.rotor.rotation.StateCodec;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A pass over N managed secrets of which none is due: Secret Manager RPCs, wall time and peak heap, against
 * the naive approach (list, then list each secret's versions).
 * Run: bench/java.sh NotDuePassBenchmark [N]
 */
public final class NotDuePassBenchmark {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        try (EmulatedContext env = new EmulatedContext(Map.of("rotor.projects", "demo-project",
                "rotor.quota.secret-manager.reads-per-minute", "0"))) {
            env.emulator.quotas().enabled(false);
            seed(env, n);
            RunService runs = env.bean(RunService.class);
            runs.run(new RunService.RunRequest("warm-up", Set.of(), false));
            env.emulator.faults().resetCounts();
            resetPeaks();
            long t0 = System.nanoTime();
            RunReport report = runs.run(new RunService.RunRequest("bench", Set.of(), false));
            double rotorMs = (System.nanoTime() - t0) / 1e6;
            long rotorRpcs = env.emulator.faults().totalCalls();
            long rotorHeap = peakHeap();
            if (report.summary().rotated() != 0) {
                throw new IllegalStateException("expected nothing due: " + report.summary());
            }

            SecretManagerServiceClient client = env.bean(SecretManagerServiceClient.class);
            env.emulator.faults().resetCounts();
            resetPeaks();
            t0 = System.nanoTime();
            int[] versions = {0};
            client.listSecrets(ListSecretsRequest.newBuilder().setParent("projects/demo-project")
                    .setFilter("labels.rotor=managed").setPageSize(25_000).build()).iterateAll()
                    .forEach(s -> client.listSecretVersions(s.getName()).iterateAll().forEach(v -> versions[0]++));
            double naiveMs = (System.nanoTime() - t0) / 1e6;
            long naiveRpcs = env.emulator.faults().totalCalls();
            long naiveHeap = peakHeap();

            System.out.printf("not-due pass over %,d managed secrets%n", n);
            System.out.printf("  rotor: %d Secret Manager RPCs, %.0f ms, peak heap %d MiB%n", rotorRpcs, rotorMs,
                    rotorHeap >> 20);
            System.out.printf("  naive: %d Secret Manager RPCs, %.0f ms, peak heap %d MiB (%d versions read)%n",
                    naiveRpcs, naiveMs, naiveHeap >> 20, versions[0]);
            System.out.printf("  ratio naive/rotor: %.0fx RPCs, %.1fx wall time%n", (double) naiveRpcs / rotorRpcs,
                    naiveMs / rotorMs);
        }
    }

    /** Seeds directly into the emulator's state: each secret rotated a moment ago, so none is due. */
    private static void seed(EmulatedContext env, int n) {
        SecretManagerState state = env.emulator.secretManager();
        RotationState rotated = new RotationState(RotationState.Phase.IDLE, 1L, null, env.clock.instant(), null,
                Map.of(), "rotated", 0, null, null, null, null, null, false, null, null);
        Map<String, String> annotations = StateCodec.write(Map.of("rotor.kind", "generated",
                "rotor.rotate-every", "P30D"), rotated);
        Map<String, Long> aliases = StateCodec.aliases(Map.of(), rotated);
        for (int i = 0; i < n; i++) {
            state.create("projects/demo-project", "s" + i, Secret.newBuilder().putLabels("rotor", "managed")
                    .putAllAnnotations(new HashMap<>(annotations))
                    .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()))
                    .build());
            state.add("projects/demo-project/secrets/s" + i,
                    SecretPayload.newBuilder().setData(ByteString.copyFromUtf8("x")).build());
            // the fence and current alias Rotor writes with every state, so each read is reconciled as in production
            state.update(Secret.newBuilder().setName("projects/demo-project/secrets/s" + i)
                    .putAllVersionAliases(aliases).build(), FieldMask.newBuilder().addPaths("version_aliases").build());
        }
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
