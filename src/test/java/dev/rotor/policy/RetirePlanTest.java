package dev.rotor.policy;

import dev.rotor.secret.VersionInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which versions retire, from one valid case (versions 1..3 a day apart, 3 current, defaults: grace 1 h,
 * keep-enabled 2) with named tweaks.
 */
class RetirePlanTest {
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final Set<Long> NONE = Set.of();

    private static Policy policy(Map<String, String> tweaks) {
        Map<String, String> a = new HashMap<>(Map.of("rotor.kind", "generated", "rotor.rotate-every", "P30D"));
        a.putAll(tweaks);
        return DueTest.policy(a);
    }

    /** Versions 1..n, created a day apart, all enabled, newest first. */
    private static List<VersionInfo> versions(int n) {
        List<VersionInfo> all = new ArrayList<>();
        for (int i = n; i >= 1; i--) {
            all.add(new VersionInfo(i, VersionInfo.State.ENABLED, T0.plus(Duration.ofDays(i - 1)), Optional.empty()));
        }
        return all;
    }

    private static final Instant V3_CREATED = T0.plus(Duration.ofDays(2));

    @Test
    void thePreviousVersionIsDisabledWhenGraceEndsWhateverKeepEnabledSays() {
        RetirePlan inGrace = RetirePlan.of(versions(3), 3, NONE, policy(Map.of("rotor.keep-enabled", "3")),
                V3_CREATED.plus(Duration.ofMinutes(30)), false, false);
        assertEquals(List.of(1L), inGrace.disable(), "version 1 was superseded a day ago; 2 is within its hour");
        assertEquals(Optional.of(V3_CREATED.plus(Duration.ofHours(1))), inGrace.nextDue());
        RetirePlan after = RetirePlan.of(versions(3), 3, NONE, policy(Map.of("rotor.keep-enabled", "3")),
                V3_CREATED.plus(Duration.ofHours(1)), false, false);
        assertEquals(List.of(2L, 1L), after.disable());
    }

    @Test
    void keepEnabledCapsHowManyStayEnabledEvenWithinGrace() {
        RetirePlan plan = RetirePlan.of(versions(3), 3, NONE, policy(Map.of("rotor.grace", "P30D")),
                V3_CREATED.plus(Duration.ofMinutes(1)), false, false);
        assertEquals(List.of(1L), plan.disable(), "current and one more stay enabled");
    }

    @Test
    void aVersionAConsumerStillServesIsHeldPastGraceButOnlyThatOne() {
        RetirePlan plan = RetirePlan.of(versions(3), 3, Set.of(1L), policy(Map.of()),
                V3_CREATED.plus(Duration.ofDays(1)), false, false);
        assertEquals(List.of(2L), plan.disable());
    }

    @Test
    void revokeDisablesHeldVersionsToo() {
        RetirePlan plan = RetirePlan.of(versions(3), 3, Set.of(2L), policy(Map.of()), V3_CREATED, true, false);
        assertEquals(List.of(2L, 1L), plan.disable());
    }

    @Test
    void aListThatLagsBehindTheNewVersionStillRevokesTheCompromisedOne() {
        // version 3 was just added and committed; the list does not show it yet, so 2 looks newest
        List<VersionInfo> lagging = versions(2);
        RetirePlan plan = RetirePlan.of(lagging, 3, NONE, policy(Map.of()), V3_CREATED, true, false);
        assertEquals(List.of(2L, 1L), plan.disable());
    }

    @Test
    void theNewestAndTheCurrentAreNeverTouched() {
        RetirePlan plan = RetirePlan.of(versions(3), 2, NONE, policy(Map.of("rotor.keep-enabled", "1")),
                V3_CREATED.plus(Duration.ofDays(9)), true, false);
        assertEquals(List.of(1L), plan.disable());
    }

    @Test
    void aSupersededTokenGoesAtItsExpiryWhenThatIsBeforeGraceEnds() {
        Policy token = DueTest.policy(Map.of("rotor.kind", "access-token", "rotor.grace", "PT2H",
                "rotor.service-account", "app@demo-project.iam.gserviceaccount.com"));
        List<VersionInfo> v = List.of(
                new VersionInfo(2, VersionInfo.State.ENABLED, T0.plus(Duration.ofMinutes(45)), Optional.empty()),
                new VersionInfo(1, VersionInfo.State.ENABLED, T0, Optional.empty()));
        assertTrue(RetirePlan.of(v, 2, NONE, token, T0.plus(Duration.ofMinutes(59)), false, false).disable().isEmpty());
        assertEquals(List.of(1L), RetirePlan.of(v, 2, NONE, token, T0.plus(Duration.ofHours(1)), false, false).disable());
    }
}
