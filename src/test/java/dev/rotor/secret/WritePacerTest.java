package dev.rotor.secret;

import io.micronaut.context.event.ApplicationEventPublisher;
import dev.rotor.local.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Per-resource write pacing (Google: 2 writes a second per secret, 1 state change a second per version,
 * gcp-api-facts §1.9) on an emulated clock: each test records the waits the pacer asks for.
 */
class WritePacerTest {
    private static final SecretRef DB = new SecretRef("demo-project", "db");
    private static final SecretRef API = new SecretRef("demo-project", "api");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final List<Duration> waits = new ArrayList<>();

    /** The waits are recorded and the clock stays: as for callers that arrive together on several threads. */
    private WritePacer pacer(int secretWrites, int versionWrites) {
        return new WritePacer(new WritePacing(secretWrites, versionWrites, 4), clock, waits::add, ApplicationEventPublisher.noOp());
    }

    private static List<Duration> millis(long... ms) {
        List<Duration> d = new ArrayList<>();
        for (long m : ms) {
            d.add(Duration.ofMillis(m));
        }
        return d;
    }

    @Test
    void writesToOneSecretArrivingTogetherTakeConsecutiveHalfSecondSlots() {
        WritePacer pacer = pacer(2, 1);
        pacer.secret(DB);
        pacer.secret(DB);
        pacer.secret(DB);
        assertEquals(millis(500, 1000), waits, "the first goes at once and never waits zero");
    }

    @Test
    void eachVersionHasItsOwnOneSecondSlotsApartFromItsSecretsWrites() {
        WritePacer pacer = pacer(2, 1);
        pacer.version(DB, 1);
        pacer.version(DB, 1);
        pacer.version(DB, 2);
        pacer.secret(DB);
        assertEquals(millis(1000), waits);
    }

    @Test
    void otherSecretsDoNotWaitForABusyOne() {
        WritePacer pacer = pacer(2, 1);
        pacer.secret(DB);
        pacer.secret(API);
        assertEquals(List.of(), waits);
    }

    @Test
    void aWriteAfterTheSlotHasPassedGoesAtOnce() {
        WritePacer pacer = pacer(2, 1);
        pacer.secret(DB);
        pacer.secret(DB);
        clock.advance(Duration.ofSeconds(2));
        pacer.secret(DB);
        assertEquals(millis(500), waits);
    }

    @Test
    void zeroTurnsPacingOff() {
        WritePacer pacer = pacer(0, 0);
        for (int i = 0; i < 5; i++) {
            pacer.secret(DB);
            pacer.version(DB, 1);
        }
        assertEquals(List.of(), waits);
    }

    @Test
    void droppingIdleSlotsKeepsTheBusyOnes() {
        WritePacer pacer = pacer(2, 1);
        pacer.secret(DB);
        for (int i = 0; i < 1001; i++) { // past 1000 slots, the idle ones are dropped
            pacer.secret(new SecretRef("demo-project", "s" + i));
        }
        pacer.secret(DB);
        assertEquals(millis(500), waits, "db's slot is still reserved");
    }

    @Test
    void afterAQuotaRefusalTheWaitDoublesFromOneSecondUpToEight() {
        WritePacer pacer = pacer(2, 1);
        for (int attempt = 0; attempt < 5; attempt++) {
            pacer.afterRefusal(attempt);
        }
        assertEquals(millis(1000, 2000, 4000, 8000, 8000), waits);
    }

    @Test
    void eachQuotaBackOffIsPublishedForTheMetricsAsSecretManagers() {
        List<QuotaBackoff> published = new ArrayList<>();
        WritePacer pacer = new WritePacer(new WritePacing(2, 1, 4), clock, waits::add, published::add);
        pacer.afterRefusal(0);
        pacer.afterRefusal(1);
        assertEquals(List.of(new QuotaBackoff(QuotaBackoff.SECRET_MANAGER), new QuotaBackoff(QuotaBackoff.SECRET_MANAGER)),
                published, "rotor.quota.backoffs counts one per back-off");
        pacer.secret(DB);
        pacer.version(DB, 1);
        assertEquals(2, published.size(), "a paced write is no back-off");
    }
}
