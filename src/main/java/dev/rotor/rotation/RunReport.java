package dev.rotor.rotation;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/** What one pass did (DESIGN §4), the body of {@code POST /v1/runs}. */
@Serdeable
public record RunReport(String runId, Instant startedAt, Instant finishedAt, boolean dryRun, Summary summary,
                        List<SecretResult> secrets) {

    /** Counts by outcome. */
    @Serdeable
    public record Summary(int rotated, int retired, int failed, int misconfigured, int skipped) {
        static Summary of(List<SecretResult> results) {
            return new Summary(count(results, SecretResult.ROTATED), count(results, SecretResult.RETIRED),
                    count(results, SecretResult.FAILED), count(results, SecretResult.MISCONFIGURED),
                    count(results, SecretResult.SKIPPED_LOCKED));
        }

        private static int count(List<SecretResult> results, String outcome) {
            return (int) results.stream().filter(r -> r.outcome().equals(outcome)).count();
        }
    }

    public boolean anyFailed() {
        return summary.failed() > 0;
    }
}
