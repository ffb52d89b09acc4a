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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Table-driven: start from one valid declaration and break one thing at a time. */
class PolicyParserTest {
    private static final Map<String, String> VALID = Map.of("rotor.kind", "generated", "rotor.rotate-every", "P30D");

    private static Declaration with(String key, String value) {
        Map<String, String> a = new HashMap<>(VALID);
        a.put(key, value);
        return PolicyParser.parse(a);
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
}
