package dev.rotor.api;

import dev.rotor.rotation.RunReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Repeated deliveries of one scheduled run (issue 11 item 10). */
class RunLedgerTest {
    private static RunReport report(int failed) {
        return new RunReport("scheduled-x", Instant.EPOCH, Instant.EPOCH, false,
                new RunReport.Summary(1 - failed, 0, failed, 0, 0), List.of());
    }

    @Test
    void aPassWithFailuresIsRunAgainOnTheRetryAndASuccessfulOneIsNot() {
        RunLedger ledger = new RunLedger();
        AtomicInteger passes = new AtomicInteger();
        Supplier<RunReport> failing = () -> {
            passes.incrementAndGet();
            return report(1);
        };
        Supplier<RunReport> succeeding = () -> {
            passes.incrementAndGet();
            return report(0);
        };
        assertEquals(1, ledger.once("r", failing).summary().failed());
        assertEquals(0, ledger.once("r", succeeding).summary().failed(), "the retry after a 500 ran again");
        assertEquals(0, ledger.once("r", failing).summary().failed(), "a success is remembered");
        assertEquals(2, passes.get());
    }
}
