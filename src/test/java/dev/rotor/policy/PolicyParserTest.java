package dev.rotor.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Table-driven: start from one valid declaration and break one thing at a time. */
class PolicyParserTest {
    private static final Map<String, String> VALID = Map.of("rotor.kind", "generated", "rotor.rotate-every", "P30D");

    private static final String RUN_A = "run:projects/p/locations/europe-west1/services/a";
    private static final String RUN_B = "run:projects/p/locations/europe-west1/services/b";

    private static Declaration with(String key, String value) {
        Map<String, String> a = new HashMap<>(VALID);
        a.put(key, value);
        return PolicyParser.parse(a);
    }

    private static Policy valid(String key, String value) {
        return assertInstanceOf(Declaration.Valid.class, with(key, value)).policy();
    }

    private static String refused(String key, String value) {
        return assertInstanceOf(Declaration.Misconfigured.class, with(key, value)).reason();
    }

    @Test
    void defaultsApply() {
        Policy p = ((Declaration.Valid) PolicyParser.parse(VALID)).policy();
        assertEquals(Kind.GENERATED, p.kind());
        assertEquals(Duration.ofDays(30), p.rotateEvery());
        assertEquals(Policy.DEFAULT_GRACE, p.grace());
        assertEquals(2, p.keepEnabled());
        assertEquals(List.of(), p.consumers());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rotor.grace|3 days|rotor.grace: \"3 days\" is not an ISO-8601 duration (for example PT1H or P7D)",
        "rotor.kind|password|rotor.kind: \"password\" is not a kind (one of service-account-key, access-token, id-token, generated)",
        "rotor.keep-enabled|0|rotor.keep-enabled: 0 is out of range (1 to 50)",
        "rotor.keep-enabled|two|rotor.keep-enabled: \"two\" is not a whole number",
        "rotor.rotate-every|-P1D|rotor.rotate-every: \"-P1D\" must be positive",
        "rotor.format|base32|rotor.format: \"base32\" is not a format (one of base64url, hex, alnum)",
        "rotor.window|2am|rotor.window: \"2am\" is not an hour range such as 02-05 (UTC)",
        "rotor.encryption|kms|rotor.encryption: \"kms\" is not cmek or envelope:projects/P/locations/L/keyRings/R/cryptoKeys/K",
    })
    void rejectsWithAPreciseReason(String key, String value, String reason) {
        Declaration d = with(key, value);
        assertEquals(reason, assertInstanceOf(Declaration.Misconfigured.class, d).reason());
    }

    @Test
    void rejectsUnknownAnnotationsAndBadConsumers() {
        assertInstanceOf(Declaration.Misconfigured.class, with("rotor.rotate_every", "P1D"));
        assertInstanceOf(Declaration.Misconfigured.class, with("rotor.consumers", "run:my-service"));
        assertInstanceOf(Declaration.Valid.class,
                with("rotor.consumers", "run:projects/p/locations/europe-west1/services/api"));
    }

    @Test
    void keyKindsNeedAServiceAccountAndIdTokensAnAudience() {
        assertEquals("rotor.service-account is required for kind service-account-key",
                ((Declaration.Misconfigured) PolicyParser.parse(Map.of("rotor.kind", "service-account-key"))).reason());
        assertEquals("rotor.audience is required for kind id-token", ((Declaration.Misconfigured) PolicyParser.parse(
                Map.of("rotor.kind", "id-token", "rotor.service-account", "a@p.iam.gserviceaccount.com"))).reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "access-token|PT1H|PT1H|PT1H (rotor.lifetime)",
        "access-token|PT3H|PT2H|PT2H (rotor.lifetime)",
        "access-token|PT24H|PT12H|PT12H (rotor.lifetime)",
        "id-token|PT1H||PT1H (ID tokens live 1 h)",
    })
    void refusesTokensThatWouldBeDueAsSoonAsMinted(String kind, String refreshBefore, String lifetime, String life) {
        Map<String, String> a = new HashMap<>(Map.of("rotor.kind", kind, "rotor.service-account",
                "a@p.iam.gserviceaccount.com", "rotor.audience", "https://x.example", "rotor.refresh-before", refreshBefore));
        if (lifetime != null) {
            a.put("rotor.lifetime", lifetime);
        }
        String reason = assertInstanceOf(Declaration.Misconfigured.class, PolicyParser.parse(a)).reason();
        assertEquals("rotor.refresh-before: " + refreshBefore + " is not shorter than the token's lifetime " + life
                + ", so every token would be due as soon as it is minted; make it shorter than the lifetime", reason);
        a.put("rotor.refresh-before", "PT59M");
        assertInstanceOf(Declaration.Valid.class, PolicyParser.parse(a), "just shorter is fine");
    }

    @Test
    void dueRespectsTheRotationWindowAndLeases() {
        Policy p = ((Declaration.Valid) with("rotor.window", "02-05")).policy();
        RotationState rotated = new RotationState(RotationState.Phase.IDLE, 1L, null,
                Instant.parse("2026-01-01T00:00:00Z"), null, Map.of(), null, 0, null, null, null, null, null, false, null, null);
        assertEquals(Due.Action.NONE, Due.evaluate(p, rotated, Instant.parse("2026-02-15T12:00:00Z")).action());
        assertEquals(Due.Action.ROTATE, Due.evaluate(p, rotated, Instant.parse("2026-02-15T03:00:00Z")).action());
        RotationState leased = rotated.claimed("run-1", "a", Instant.parse("2026-02-15T03:00:00Z"),
                Instant.parse("2026-02-15T03:10:00Z"));
        assertEquals(Due.Action.LOCKED, Due.evaluate(p, leased, Instant.parse("2026-02-15T03:05:00Z")).action());
        assertEquals(Due.Action.RESUME, Due.evaluate(p, leased, Instant.parse("2026-02-15T03:11:00Z")).action());
    }

    @Test
    void listsKeepTheirOrderAndDropEmptyEntries() {
        assertEquals(List.of(RUN_A, RUN_B), valid("rotor.consumers", RUN_A + ", ," + RUN_B + ",").consumers());
        Map<String, String> token = new HashMap<>(Map.of("rotor.kind", "access-token",
                "rotor.service-account", "a@p.iam.gserviceaccount.com",
                "rotor.scopes", "https://www.googleapis.com/auth/sqlservice, ,https://www.googleapis.com/auth/pubsub",
                "rotor.delegates", "b@p.iam.gserviceaccount.com,,c@p.iam.gserviceaccount.com"));
        Policy p = assertInstanceOf(Declaration.Valid.class, PolicyParser.parse(token)).policy();
        assertEquals(List.of("https://www.googleapis.com/auth/sqlservice", "https://www.googleapis.com/auth/pubsub"),
                p.scopes());
        assertEquals(List.of("b@p.iam.gserviceaccount.com", "c@p.iam.gserviceaccount.com"), p.delegates());
        token.remove("rotor.scopes");
        assertEquals(List.of("https://www.googleapis.com/auth/cloud-platform"),
                assertInstanceOf(Declaration.Valid.class, PolicyParser.parse(token)).policy().scopes(),
                "without rotor.scopes a token is minted for cloud-platform");
    }

    @Test
    void onlyDeclaredConsumersMayBeAllowedAnOutage() {
        Map<String, String> a = new HashMap<>(VALID);
        a.put("rotor.consumers", RUN_A + "," + RUN_B);
        a.put("rotor.consumers-allow-outage", RUN_B);
        assertEquals(List.of(RUN_B), assertInstanceOf(Declaration.Valid.class, PolicyParser.parse(a)).policy()
                .consumersAllowOutage());
        a.put("rotor.consumers-allow-outage", "run:projects/p/locations/europe-west1/services/c");
        assertEquals("rotor.consumers-allow-outage: \"run:projects/p/locations/europe-west1/services/c\" is not one "
                + "of rotor.consumers", assertInstanceOf(Declaration.Misconfigured.class, PolicyParser.parse(a)).reason());
    }

    @Test
    void anIdTokenWithABlankAudienceIsRefused() {
        assertEquals("rotor.audience is required for kind id-token", assertInstanceOf(Declaration.Misconfigured.class,
                PolicyParser.parse(Map.of("rotor.kind", "id-token", "rotor.service-account", "a@p.iam.gserviceaccount.com",
                        "rotor.audience", "  "))).reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rotor.keep-enabled|1|50",
        "rotor.length|1|4096",
    })
    void rangesIncludeBothEnds(String key, int min, int max) {
        assertInstanceOf(Declaration.Valid.class, with(key, String.valueOf(min)));
        assertInstanceOf(Declaration.Valid.class, with(key, String.valueOf(max)));
        assertEquals(key + ": " + (max + 1) + " is out of range (" + min + " to " + max + ")",
                refused(key, String.valueOf(max + 1)));
        assertEquals(key + ": " + (min - 1) + " is out of range (" + min + " to " + max + ")",
                refused(key, String.valueOf(min - 1)));
    }

    @Test
    void aZeroGraceDisablesAtOnceButNoOtherDurationMayBeZero() {
        assertEquals(Duration.ZERO, valid("rotor.grace", "PT0S").grace());
        assertEquals("rotor.retain: \"PT0S\" must be positive", refused("rotor.retain", "PT0S"));
        assertEquals("rotor.rotate-every: \"P0D\" must be positive", refused("rotor.rotate-every", "P0D"));
        assertEquals(Duration.ofDays(3), valid("rotor.retain", " P3D ").retain(), "surrounding blanks are trimmed");
    }

    @Test
    void encryptionIsCmekOrAnEnvelopeWithAFullKmsKeyName() {
        assertEquals(java.util.Optional.of("cmek"), valid("rotor.encryption", " cmek ").encryption());
        String key = "envelope:projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k";
        assertEquals(java.util.Optional.of(key), valid("rotor.encryption", key).encryption());
        assertEquals(java.util.Optional.empty(), valid("rotor.kind", "generated").encryption());
        assertEquals("rotor.encryption: \"envelope:projects/p/keyRings/r\" is not cmek or envelope:projects/P/"
                + "locations/L/keyRings/R/cryptoKeys/K", refused("rotor.encryption", "envelope:projects/p/keyRings/r"));
    }

    /** A window is UTC hours [from, to): from is inside, to is not; it may wrap past midnight. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "02-05|2,3,4|1,5",
        "00-05|0,4|5,23",
        "22-02|22,23,0,1|21,2",
        "23-24|23|22,0",
        "05-24|5,23|4,0",
    })
    void aWindowHoldsItsFirstHourButNotItsLast(String window, String inside, String outside) {
        Policy.HourWindow w = valid("rotor.window", window).window().orElseThrow();
        for (String h : inside.split(",")) {
            assertTrue(w.contains(Integer.parseInt(h)), window + " holds " + h);
        }
        for (String h : outside.split(",")) {
            assertFalse(w.contains(Integer.parseInt(h)), window + " does not hold " + h);
        }
    }

    @ParameterizedTest
    @CsvSource({"24-02", "05-25", "03-03"})
    void aWindowNeedsTwoDifferentHoursFromZeroToTwentyFour(String window) {
        assertEquals("rotor.window: \"" + window + "\" needs two different hours from 0 to 24", refused("rotor.window", window));
    }

    @Test
    void theWholeDayIsNoWindow() {
        assertEquals(java.util.Optional.empty(), valid("rotor.window", "00-24").window());
    }

    @Test
    void aWindowReadsInReportsAsItIsWritten() {
        assertEquals("02-04 UTC", new Policy.HourWindow(2, 4).toString());
        assertEquals("22-24 UTC", new Policy.HourWindow(22, 0).toString());
        assertEquals("22-03 UTC", new Policy.HourWindow(22, 3).toString());
    }
}
