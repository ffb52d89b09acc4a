package dev.rotor.api;

import dev.rotor.rotation.RunReport;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Cloud Scheduler delivers at least once (gcp-api-facts §6): a repeated delivery of the same scheduled run
 * (same {@code X-CloudScheduler-ScheduleTime}) gets the first delivery's report instead of a second pass, but
 * only when that pass succeeded: Cloud Scheduler retries a run that answered outside 200–299 (gcp-api-facts §6, RetryConfig), and that
 * retry must run again, here as on any other instance. Deliveries that arrive while a pass is running share it.
 * This instance remembers the last {@link #CAPACITY} runs; on another instance a repeat is still harmless,
 * because a pass rotates only what is due and the first pass left nothing due.
 */
@Singleton
public final class RunLedger {
    static final int CAPACITY = 256;
    private final Map<String, CompletableFuture<RunReport>> reports = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<RunReport>> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The report of {@code runId}: remembered, or made now. Concurrent deliveries of one run share one pass. */
    public RunReport once(String runId, Supplier<RunReport> run) {
        CompletableFuture<RunReport> mine = new CompletableFuture<>();
        CompletableFuture<RunReport> existing;
        synchronized (reports) {
            existing = reports.putIfAbsent(runId, mine);
        }
        if (existing != null) {
            return existing.join();
        }
        try {
            RunReport report = run.get();
            if (report.anyFailed()) {
                synchronized (reports) {
                    reports.remove(runId); // a pass with failures is not remembered: the scheduler's retry runs again
                }
            }
            mine.complete(report);
            return report;
        } catch (RuntimeException | Error e) {
            synchronized (reports) {
                reports.remove(runId); // a failed pass is not remembered: the retry runs again
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }
}
