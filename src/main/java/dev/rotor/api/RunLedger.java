package dev.rotor.api;

import dev.rotor.rotation.RunReport;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Cloud Scheduler delivers at least once (gcp-api-facts §10): a repeated delivery of the same scheduled run
 * (same {@code X-CloudScheduler-ScheduleTime}) gets the first delivery's report instead of a second pass.
 * This instance remembers the last {@link #CAPACITY} runs; on another instance a repeat is still harmless,
 * because a pass rotates only what is due and the first pass left nothing due.
 */
@Singleton
public final class RunLedger {
    static final int CAPACITY = 256;
    private final Map<String, RunReport> reports = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunReport> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The report of {@code runId}: remembered, or made now. Concurrent deliveries of one run wait for the first. */
    public RunReport once(String runId, Supplier<RunReport> run) {
        synchronized (this) {
            RunReport known = reports.get(runId);
            if (known != null) {
                return known;
            }
        }
        synchronized (runId.intern()) {
            synchronized (this) {
                RunReport known = reports.get(runId);
                if (known != null) {
                    return known;
                }
            }
            RunReport report = run.get();
            synchronized (this) {
                reports.put(runId, report);
            }
            return report;
        }
    }
}
