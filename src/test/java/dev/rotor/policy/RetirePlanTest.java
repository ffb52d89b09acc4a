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
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    private static VersionInfo version(int n, VersionInfo.State state, Optional<Instant> scheduledDestroy) {
        return new VersionInfo(n, state, T0.plus(Duration.ofDays(n - 1)), scheduledDestroy);
    }

    @Test
    void aPlanIsEmptyOnlyWhenItNeitherDisablesNorDestroys() {
        assertTrue(new RetirePlan(List.of(), List.of(), Optional.empty()).isEmpty());
        assertFalse(new RetirePlan(List.of(1L), List.of(), Optional.empty()).isEmpty());
        assertFalse(new RetirePlan(List.of(), List.of(1L), Optional.empty()).isEmpty());
    }

    @Test
    void anEmptyListingPlansNothing() {
        // a list may lag behind the version just added (gcp-api-facts §1.7)
        RetirePlan plan = RetirePlan.of(List.of(), 1, NONE, policy(Map.of()), T0, false, false);
        assertTrue(plan.isEmpty());
        assertEquals(Optional.empty(), plan.nextDue());
    }

    @Test
    void afterARollbackTheCurrentVersionTakesAKeepEnabledPlaceEvenWhenListedAsHeld() {
        // rolled back to 2 while 3 is the newest; 3 and 2 fill keep-enabled, so 1 goes although grace is long
        RetirePlan plan = RetirePlan.of(versions(3), 2, Set.of(2L), policy(Map.of("rotor.grace", "P30D")),
                V3_CREATED.plus(Duration.ofMinutes(1)), false, false);
        assertEquals(List.of(1L), plan.disable());
    }

    @Test
    void aDisabledVersionIsDestroyedWhenRetainEndsAfterItsGrace() {
        List<VersionInfo> v = List.of(version(3, VersionInfo.State.ENABLED, Optional.empty()),
                version(2, VersionInfo.State.ENABLED, Optional.empty()),
                version(1, VersionInfo.State.DISABLED, Optional.empty()));
        // 1 was superseded when 2 was created (T0 + 1 d): grace 1 h, then retain 7 d
        Instant destroyAt = T0.plus(Duration.ofDays(8)).plus(Duration.ofHours(1));
        RetirePlan before = RetirePlan.of(v, 3, NONE, policy(Map.of()), destroyAt.minusSeconds(1),
                false, false);
        assertEquals(List.of(), before.destroy());
        assertEquals(Optional.of(destroyAt), before.nextDue());
        assertEquals(List.of(1L), RetirePlan.of(v, 3, NONE, policy(Map.of()), destroyAt, false,
                false).destroy());
    }

    @Test
    void aVersionWhoseDestructionGoogleScheduledOrThatIsDestroyedIsLeftAlone() {
        Instant late = T0.plus(Duration.ofDays(60));
        List<VersionInfo> v = List.of(version(3, VersionInfo.State.ENABLED, Optional.empty()),
                version(2, VersionInfo.State.DISABLED, Optional.of(late.plus(Duration.ofDays(1)))),
                version(1, VersionInfo.State.DESTROYED, Optional.empty()));
        RetirePlan plan = RetirePlan.of(v, 3, NONE, policy(Map.of()), late, false, false);
        assertTrue(plan.isEmpty());
        assertEquals(Optional.empty(), plan.nextDue());
    }

    @Test
    void aDisabledVersionFallsDueForDestructionARetainAfterItsDisableTimeOrAfterNowIfThatHasPassed() {
        // keep-enabled 1 disables 2 and 1 early, within a 30-day grace: each is destroyed a retain after its grace
        RetirePlan early = RetirePlan.of(versions(3), 3, NONE, policy(Map.of("rotor.grace", "P30D",
                "rotor.keep-enabled", "1")), V3_CREATED.plus(Duration.ofMinutes(1)), false, false);
        assertEquals(List.of(2L, 1L), early.disable());
        assertEquals(Optional.of(T0.plus(Duration.ofDays(1 + 30 + 7))), early.nextDue(), "1: superseded at T0 + 1 d");
        // disabled long after grace and retain passed: destruction is due a full retain after now
        Instant late = T0.plus(Duration.ofDays(60));
        RetirePlan overdue = RetirePlan.of(versions(3), 3, NONE, policy(Map.of()), late, false, false);
        assertEquals(List.of(2L, 1L), overdue.disable());
        assertEquals(Optional.of(late.plus(Duration.ofDays(7))), overdue.nextDue());
    }

    @Test
    void withGoogleScheduledDestructionNothingMoreFallsDueForWhatIsDisabled() {
        // the secret has a version_destroy_ttl: disabling schedules the destruction on Google's side
        RetirePlan plan = RetirePlan.of(versions(3), 3, NONE, policy(Map.of()), T0.plus(Duration.ofDays(60)), false,
                true);
        assertEquals(List.of(2L, 1L), plan.disable());
        assertEquals(Optional.empty(), plan.nextDue());
    }
}
