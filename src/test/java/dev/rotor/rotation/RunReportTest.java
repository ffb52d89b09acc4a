package dev.rotor.rotation;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run report's counts by outcome, and whether it failed (what makes {@code POST /v1/runs} answer 500). */
class RunReportTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static SecretResult result(String outcome) {
        return new SecretResult("p", "s-" + outcome, "generated", "rotate", outcome, null, null, List.of(), null, 0);
    }

    private static RunReport report(String... outcomes) {
        List<SecretResult> results = java.util.Arrays.stream(outcomes).map(RunReportTest::result).toList();
        return new RunReport("run-1", T0, T0, false, RunReport.Summary.of(results), results);
    }

    @Test
    void theSummaryCountsEachOutcome() {
        RunReport r = report(SecretResult.ROTATED, SecretResult.ROTATED, SecretResult.RETIRED, SecretResult.FAILED,
                SecretResult.MISCONFIGURED, SecretResult.SKIPPED_LOCKED, SecretResult.UNCHANGED);
        assertEquals(new RunReport.Summary(2, 1, 1, 1, 1), r.summary());
    }

    @Test
    void aReportFailedExactlyWhenOneSecretFailed() {
        assertFalse(report().anyFailed(), "nothing to do");
        assertFalse(report(SecretResult.ROTATED, SecretResult.MISCONFIGURED, SecretResult.SKIPPED_LOCKED).anyFailed(),
                "misconfigured and locked secrets are not failures of the run");
        assertTrue(report(SecretResult.ROTATED, SecretResult.FAILED).anyFailed());
    }
}
