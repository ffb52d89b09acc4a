package dev.rotor.local.faults;

import io.grpc.Status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-RPC fault and latency injection, and a count of every call by method. A rule names a bare method
 * ({@code AddSecretVersion}) or {@code *}, a status, and when it strikes: {@link When#BEFORE} the call
 * does anything, or {@link When#AFTER} it took effect (the response is lost, as after a timeout).
 */
public final class Faults {
    /** When an injected error strikes, relative to the call's effect. */
    public enum When { BEFORE, AFTER }

    /** One injected error. {@code remaining} below zero means every matching call; fraction in (0, 1]. */
    public record Rule(String method, Status.Code code, When when, AtomicLong remaining, double fraction,
                       AtomicLong skip) {
        Status status() {
            return Status.fromCode(code).withDescription("injected fault on " + method);
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, Duration> latency = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Random random;

    public Faults(long seed) {
        this.random = new Random(seed);
    }

    /** Fails the next {@code times} calls of {@code method}. */
    public void fail(String method, Status.Code code, When when, int times) {
        rules.add(new Rule(method, code, when, new AtomicLong(times), 1.0, new AtomicLong()));
    }

    /** Fails only the {@code occurrence}-th call (1-based) of {@code method} from now on. */
    public void failOccurrence(String method, int occurrence, Status.Code code, When when) {
        rules.add(new Rule(method, code, when, new AtomicLong(1), 1.0, new AtomicLong(occurrence - 1L)));
    }

    /** Fails about {@code fraction} of the calls of {@code method}, from a seeded random source. */
    public void failFraction(String method, Status.Code code, double fraction) {
        rules.add(new Rule(method, code, When.BEFORE, new AtomicLong(-1), fraction, new AtomicLong()));
    }

    public void latency(String method, Duration delay) {
        latency.put(method, delay);
    }

    public void clear() {
        rules.clear();
        latency.clear();
    }

    public long calls(String method) {
        AtomicLong n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    public long totalCalls() {
        return calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public void resetCounts() {
        calls.clear();
        log.clear();
    }

    /** Every call's bare method name, in order, since the last reset. */
    public List<String> log() {
        return List.copyOf(log);
    }

    Duration latencyFor(String method) {
        Duration d = latency.get(method);
        return d != null ? d : latency.getOrDefault("*", Duration.ZERO);
    }

    /** Counts the call and draws the rule that strikes it, if any; consumes one use of a counted rule. */
    synchronized Rule draw(String method) {
        calls.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
        log.add(method);
        for (Rule rule : rules) {
            if (!rule.method().equals(method) && !rule.method().equals("*")) {
                continue;
            }
            if (rule.remaining().get() < 0) {
                if (random.nextDouble() < rule.fraction()) {
                    return rule;
                }
                continue;
            }
            if (rule.skip().get() > 0) {
                rule.skip().decrementAndGet();
                continue;
            }
            if (rule.remaining().get() > 0) {
                if (rule.remaining().decrementAndGet() == 0) {
                    rules.remove(rule);
                }
                return rule;
            }
        }
        return null;
    }
}
