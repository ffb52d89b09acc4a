package dev.rotor.status;

import dev.rotor.rotation.SecretsView.Row;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the page calls a problem, and its problems-first order: one healthy row, and named tweaks of it. */
class ProblemTest {
    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
    private static final String RUN = "run:projects/p/locations/l/services/api";

    private static Row healthy(String name) {
        return new Row("p", name, "generated", 3L, NOW.minus(Duration.ofDays(2)), null, NOW.plus(Duration.ofDays(28)),
                "rotated", List.of(RUN), Map.of(RUN, 3L), List.of());
    }

    private static Row tweak(String name, UnaryOperator<Row> change) {
        return change.apply(healthy(name));
    }

    private static Row outcome(Row r, String outcome) {
        return new Row(r.project(), r.secret(), r.kind(), r.currentVersion(), r.createdAt(), r.expiresAt(), r.nextDue(),
                outcome, r.consumers(), r.rolled(), r.unrolled());
    }

    private static Row times(Row r, Instant expiresAt, Instant nextDue) {
        return new Row(r.project(), r.secret(), "access-token", r.currentVersion(), r.createdAt(), expiresAt, nextDue,
                r.lastOutcome(), r.consumers(), r.rolled(), r.unrolled());
    }

    private static Row unrolled(Row r) {
        return new Row(r.project(), r.secret(), r.kind(), 4L, r.createdAt(), r.expiresAt(), r.nextDue(), r.lastOutcome(),
                r.consumers(), r.rolled(), List.of(RUN));
    }

    private static Row misconfigured(Row r) {
        return new Row(r.project(), r.secret(), null, null, null, null, null, "misconfigured: rotor.kind is missing",
                List.of(), Map.of(), List.of());
    }

    @Test
    void aHealthyRowHasNoProblem() {
        assertEquals(List.of(), Problem.of(healthy("db"), NOW));
    }

    @Test
    void eachTweakIsTheProblemItNames() {
        assertEquals(List.of(Problem.FAILED), Problem.of(tweak("a", r -> outcome(r, "failed: UNAVAILABLE; current stays 3")), NOW));
        assertEquals(List.of(Problem.MISCONFIGURED), Problem.of(tweak("a", ProblemTest::misconfigured), NOW));
        assertEquals(List.of(Problem.UNROLLED), Problem.of(tweak("a", ProblemTest::unrolled), NOW));
        assertEquals(List.of(Problem.EXPIRED), Problem.of(tweak("a", r -> times(r, NOW, NOW)), NOW));
        assertEquals(List.of(Problem.EXPIRING),
                Problem.of(tweak("a", r -> times(r, NOW.plusSeconds(600), NOW.minusSeconds(300))), NOW));
    }

    @Test
    void anExpiringCredentialIsNoProblemBeforeItsTimeToBeReplaced() {
        assertEquals(List.of(), Problem.of(tweak("a", r -> times(r, NOW.plusSeconds(600), NOW.plusSeconds(60))), NOW),
                "Rotor replaces it at its next due: nothing to do yet");
        assertEquals(List.of(), Problem.of(tweak("a", r -> times(r, NOW.plus(Duration.ofDays(8)), NOW.minusSeconds(1))), NOW),
                "due, but its expiry is beyond the 7-day window");
    }

    @Test
    void problemsComeFirstMostUrgentFirstThenTheSoonestToExpire() {
        List<Row> rows = List.of(
                healthy("zz-late-due"),
                tweak("aa-ok", r -> times(r, NOW.plus(Duration.ofDays(20)), NOW.plus(Duration.ofDays(10)))),
                tweak("unrolled", ProblemTest::unrolled),
                tweak("expiring-later", r -> times(r, NOW.plusSeconds(900), NOW.minusSeconds(1))),
                tweak("expiring-sooner", r -> times(r, NOW.plusSeconds(300), NOW.minusSeconds(1))),
                tweak("misconfigured", ProblemTest::misconfigured),
                tweak("failed-and-unrolled", r -> unrolled(outcome(r, "failed: a consumer did not roll"))),
                tweak("expired", r -> times(r, NOW.minusSeconds(1), NOW.minusSeconds(100))));
        List<String> order = rows.stream().sorted(Problem.order(NOW)).map(Row::secret).toList();
        assertEquals(List.of("failed-and-unrolled", "misconfigured", "expired", "expiring-sooner", "expiring-later",
                "unrolled", "aa-ok", "zz-late-due"), order);
    }

    @Test
    void theModelSaysAgesAndTimesLeftTheWayAnOperatorReadsThem() {
        Row token = tweak("t", r -> times(r, NOW.plus(Duration.ofMinutes(45)), NOW.plus(Duration.ofMinutes(30))));
        StatusModel.Secret s = StatusModel.of(List.of(token), NOW).secrets().getFirst();
        assertEquals("2d 0h", s.age());
        assertEquals("expires in 45m 0s", s.expires());
        assertEquals("in 30m 0s", s.nextDue());
        StatusModel.Timeline t = s.timeline();
        assertEquals(true, t.shown());
        assertEquals(100 * 2880 / (2880 + 45), t.elapsed());
        assertEquals(true, t.marked());
        assertEquals("expires in 45m 0s", t.label());
        assertEquals("expired 3h 0m ago", StatusModel.relative(NOW.minus(Duration.ofHours(3)), NOW, "expired "));
        assertEquals("due now", StatusModel.relative(NOW, NOW, "due "));
    }

    @Test
    void aConsumerThatHasNotRolledSaysWhatItServesAndHowLongItHasWaited() {
        StatusModel.Secret s = StatusModel.of(List.of(tweak("db", ProblemTest::unrolled)), NOW).secrets().getFirst();
        assertEquals(List.of(new StatusModel.Consumer(RUN, "v3", false, "waiting 2d 0h")), s.consumers());
        assertEquals(List.of("not rolled"), s.problems());
        assertEquals("problem", s.tone());
    }
}
