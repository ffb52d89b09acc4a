package dev.rotor.bench;

import dev.rotor.policy.Declaration;
import dev.rotor.policy.Due;
import dev.rotor.policy.PolicyParser;
import dev.rotor.policy.RotationState;
import dev.rotor.rotation.StateCodec;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * CPU time to evaluate N declarations the way a run does: parse the policy, read the state JSON, decide.
 * Run: bench/java.sh DeclarationsBenchmark [N] [rounds]
 */
public final class DeclarationsBenchmark {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        List<Map<String, String>> declarations = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            RotationState s = new RotationState(RotationState.Phase.IDLE, (long) (i % 50 + 1), (long) (i % 50),
                    now.minus(java.time.Duration.ofDays(i % 60)), null, Map.of(), "rotated", 0, "a" + i, now.minusSeconds(90_000),
                    null, null, null, false, null, null);
            declarations.add(StateCodec.write(Map.of("rotor.kind", "generated", "rotor.rotate-every", "P" + (i % 90 + 1) + "D",
                    "rotor.grace", "PT1H", "rotor.length", "32", "rotor.consumers",
                    "run:projects/p/locations/europe-west1/services/s" + (i % 7)), s));
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[] millis = new double[rounds];
        int due = 0;
        for (int r = -2; r < rounds; r++) { // two warm-up rounds
            long t0 = cpu.getCurrentThreadCpuTime();
            due = 0;
            for (Map<String, String> d : declarations) {
                Declaration decl = PolicyParser.parse(d);
                if (decl instanceof Declaration.Valid(var policy)
                        && Due.evaluate(policy, StateCodec.read(d), now).action() != Due.Action.NONE) {
                    due++;
                }
            }
            if (r >= 0) {
                millis[r] = (cpu.getCurrentThreadCpuTime() - t0) / 1e6;
            }
        }
        Arrays.sort(millis);
        System.out.printf("evaluate %,d declarations (parse policy + read state + decide), %d rounds%n", n, rounds);
        System.out.printf("  CPU ms: min %.0f, median %.0f, max %.0f (%.2f us per declaration); %d due%n",
                millis[0], millis[rounds / 2], millis[rounds - 1], millis[rounds / 2] * 1000 / n, due);
    }
}
