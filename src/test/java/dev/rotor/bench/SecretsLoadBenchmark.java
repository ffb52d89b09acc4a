package dev.rotor.bench;

import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import dev.rotor.local.EmulatedContext;
import dev.rotor.local.secretmanager.SecretManagerState;
import dev.rotor.policy.RotationState;
import dev.rotor.rotation.StateCodec;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * GET /v1/secrets over N managed secrets under load from a second process on loopback (wrk). Run twice:
 * with the default 5 s listing cache, and with no cache and no read pacing (every request lists Secret
 * Manager: the raw cost of a listing). A 5 s wrk warm-up comes first and is not counted.
 * Run: bench/java.sh SecretsLoadBenchmark [N] [seconds]   (needs wrk: apt-get install wrk)
 */
public final class SecretsLoadBenchmark {
    public static void main(String[] args) throws IOException, InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        String seconds = args.length > 1 ? args[1] : "15";
        measure(n, seconds, "default (5 s listing cache)", Map.of("rotor.listing-cache-ttl", "5s"));
        measure(n, seconds, "no cache, no read pacing", Map.of("rotor.listing-cache-ttl", "0s",
                "rotor.quota.secret-manager.reads-per-minute", "0"));
    }

    private static void measure(int n, String seconds, String label, Map<String, Object> extra)
            throws IOException, InterruptedException {
        Map<String, Object> props = new HashMap<>(Map.of("rotor.projects", "demo-project",
                "rotor.auth.audiences", "https://rotor.bench"));
        props.putAll(extra);
        try (EmulatedContext env = new EmulatedContext(props)) {
            env.emulator.quotas().enabled(false);
            seed(env.emulator.secretManager(), n, env);
            String url = env.startServer().replaceAll("/$", "") + "/v1/secrets";
            String token = env.emulator.oidc().idToken("operator@demo-project.iam.gserviceaccount.com",
                    "https://rotor.bench");
            new ProcessBuilder("wrk", "-t2", "-c16", "-d5s", "-H", "Authorization: Bearer " + token, url)
                    .redirectErrorStream(true).start().waitFor(); // warm-up, not counted
            Process wrk = new ProcessBuilder("wrk", "-t2", "-c16", "-d" + seconds + "s", "--latency",
                    "-H", "Authorization: Bearer " + token, url).redirectErrorStream(true).start();
            String out = new String(wrk.getInputStream().readAllBytes());
            wrk.waitFor();
            System.out.printf("GET /v1/secrets, %,d managed secrets, %s; wrk -t2 -c16 -d%ss --latency%n", n, label,
                    seconds);
            if (!out.contains("Requests/sec")) {
                System.out.println(out);
            }
            out.lines().filter(l -> l.contains("Requests/sec") || l.contains(" 50%") || l.contains(" 99%")
                    || l.contains("requests in") || l.contains("Non-2xx")).forEach(l -> System.out.println("  " + l.trim()));
        }
    }

    private static void seed(SecretManagerState sm, int n, EmulatedContext env) {
        RotationState state = new RotationState(RotationState.Phase.IDLE, 1L, null, env.clock.instant(), null,
                Map.of(), "rotated", 0, null, null, null, null, null, false, null, null);
        Map<String, String> annotations = StateCodec.write(Map.of("rotor.kind", "generated"), state);
        for (int i = 0; i < n; i++) {
            sm.create("projects/demo-project", "s" + i, Secret.newBuilder().putLabels("rotor", "managed")
                    .putAllAnnotations(new HashMap<>(annotations))
                    .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()))
                    .build());
        }
    }
}
