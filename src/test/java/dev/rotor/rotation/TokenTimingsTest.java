package dev.rotor.rotation;

import dev.rotor.policy.Due;
import dev.rotor.policy.RotationState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Credential lifetimes Rotor does not choose: the lifetime IAM actually grants a token (issue 11 item 8) and
 * the organisation's key-expiry policy (item 7), end to end.
 */
class TokenTimingsTest {
    private final Engine engine = new Engine(Map.of("rotor.emulator.key-expiry-hours", "8"));
    private final String sa = engine.account("app");

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aRefreshBeforeNotShorterThanTheGrantedLifetimeIsRefusedWithTheReason() {
        // 8 h asked, refresh 2 h before expiry; the account may not extend, so IAM grants 1 h
        engine.declare("tok", Map.of("rotor.kind", "access-token", "rotor.service-account", sa,
                "rotor.lifetime", "PT8H", "rotor.refresh-before", "PT2H"));
        RunReport r = engine.run();
        assertEquals(1, r.summary().failed(), r.toString());
        String error = r.secrets().getFirst().error();
        assertTrue(error.contains("rotor.refresh-before PT2H is not shorter") && error.contains("nothing was published"),
                error);
        assertTrue(engine.versions("tok").isEmpty());
    }

    @Test
    void aDeclarationWhoseTokensWouldBeDueAtOnceIsMisconfigured() {
        engine.declare("tok", Map.of("rotor.kind", "access-token", "rotor.service-account", sa,
                "rotor.lifetime", "PT1H", "rotor.refresh-before", "PT1H"));
        RunReport r = engine.run();
        assertEquals(SecretResult.MISCONFIGURED, r.secrets().getFirst().outcome(), r.toString());
        assertTrue(r.secrets().getFirst().error().contains("not shorter than the token's lifetime"), r.toString());
    }

    @Test
    void aKeyUnderTheExpiryPolicyIsReplacedBeforeItsValidBeforeTime() {
        engine.declare("key", Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa,
                "rotor.rotate-every", "P30D"));
        Instant start = engine.env.clock.instant();
        assertEquals(1, engine.run().summary().rotated());
        RotationState s = engine.state("key");
        assertEquals(start.plus(Duration.ofHours(8)).getEpochSecond(), s.expiresAt().getEpochSecond(),
                "the key's valid_before_time is recorded as the version's expiry");
        engine.env.clock.advance(Duration.ofHours(5).plusMinutes(50));
        assertEquals(0, engine.run().summary().rotated(), "more than the 2 h margin left");
        engine.env.clock.advance(Duration.ofMinutes(15));
        RunReport r = engine.run();
        assertEquals(1, r.summary().rotated(), "replaced 2 h before it would stop working, not after 30 days");
        assertEquals(2L, engine.state("key").current());
    }

    @Test
    void thePlanSaysAKeyIsRotatedForItsExpiry() {
        engine.declare("key", Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa,
                "rotor.rotate-every", "P30D", "rotor.window", "02-03"));
        engine.run();
        var declared = Declared.read(engine.env.bean(dev.rotor.secret.SecretStore.class)
                .get(new dev.rotor.secret.SecretRef(Engine.PROJECT, "key")));
        Due.Decision notYet = Due.evaluate(declared.policy(), declared.state(), engine.env.clock.instant());
        assertTrue(notYet.reason().contains("iam.serviceAccountKeyExpiryHours"), notYet.reason());
        Instant late = declared.state().expiresAt().minus(Duration.ofHours(1));
        Due.Decision due = Due.evaluate(declared.policy(), declared.state(), late);
        assertEquals(Due.Action.ROTATE, due.action(), "an expiring key does not wait for the rotation window");
        assertTrue(due.reason().contains("the key expires at"), due.reason());
    }
}
