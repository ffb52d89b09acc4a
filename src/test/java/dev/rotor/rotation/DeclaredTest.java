package dev.rotor.rotation;

import dev.rotor.policy.Declaration;
import dev.rotor.policy.Policy;
import dev.rotor.policy.PolicyParser;
import dev.rotor.policy.RotationState;
import dev.rotor.policy.RotationState.Phase;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a managed secret's declaration and state are judged once ({@link Declared}), the same for runs, audits,
 * the listing and manual calls: a declaration or state that does not parse, and a credential whose identity
 * changed while Rotor holds keys made under the old one, are problems with their reason; anything else is ok.
 */
class DeclaredTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Map<String, String> KEY_OF_APP = Map.of("rotor.kind", "service-account-key",
            "rotor.service-account", "app@p.iam.gserviceaccount.com");
    private static final Map<String, String> KEY_OF_OTHER = Map.of("rotor.kind", "service-account-key",
            "rotor.service-account", "other@p.iam.gserviceaccount.com");

    private static ManagedSecret secret(Map<String, String> annotations, Optional<String> cmekKey) {
        return new ManagedSecret(new SecretRef("p", "db"), annotations, Map.of(), "etag-1", T0, cmekKey,
                Duration.ZERO, true);
    }

    private static ManagedSecret secret(Map<String, String> annotations) {
        return secret(annotations, Optional.empty());
    }

    private static Policy policy(Map<String, String> annotations) {
        return ((Declaration.Valid) PolicyParser.parse(annotations)).policy();
    }

    /** Version 1 committed under {@code declared}'s identity, holding {@code keys}. */
    private static RotationState committedUnder(Map<String, String> declared, Map<String, String> keys,
                                                List<String> pending) {
        return RotationState.NEW.identified(policy(declared)).claimed("run-1", "a-1", T0, T0.plusSeconds(600))
                .withPendingKeys(pending).committed(1, T0, null, keys, Phase.IDLE, null);
    }

    @Test
    void aValidDeclarationAndStateAreOk() {
        RotationState state = committedUnder(KEY_OF_APP, Map.of("1", "k1"), List.of());
        Declared d = Declared.read(secret(StateCodec.write(KEY_OF_APP, state)));
        assertTrue(d.ok(), String.valueOf(d.problem()));
        assertEquals(policy(KEY_OF_APP), d.policy());
        assertEquals(state, d.state());
        assertSame(d.state(), d.stateOrNew());
    }

    @Test
    void aDeclarationThatDoesNotParseIsAProblemWithItsReason() {
        Declared d = Declared.read(secret(Map.of("rotor.kind", "carrier-pigeon")));
        assertFalse(d.ok());
        assertNull(d.policy());
        assertNull(d.state());
        assertTrue(d.problem().contains("carrier-pigeon"), d.problem());
        assertEquals(RotationState.NEW, d.stateOrNew(), "shown as a new secret");
    }

    @Test
    void aStateThatDoesNotParseKeepsThePolicyAndSaysWhy() {
        Map<String, String> a = new HashMap<>(KEY_OF_APP);
        a.put(PolicyParser.STATE, "{not json");
        Declared d = Declared.read(secret(a));
        assertFalse(d.ok());
        assertEquals(policy(KEY_OF_APP), d.policy());
        assertNull(d.state());
        assertTrue(d.problem() != null && !d.problem().isBlank());
    }

    @Test
    void anotherAccountWhileKeysOfTheOldOneAreHeldIsAProblemAndTouchesNothing() {
        for (RotationState held : List.of(committedUnder(KEY_OF_APP, Map.of("1", "k1"), List.of()),
                committedUnder(KEY_OF_APP, Map.of(), List.of("k-pending")))) {
            Declared d = Declared.read(secret(StateCodec.write(KEY_OF_OTHER, held)));
            assertFalse(d.ok());
            assertNull(d.policy(), "no policy: nothing is rotated, retired or rolled");
            assertNull(d.state());
            assertTrue(d.problem().contains("app@p.iam.gserviceaccount.com")
                    && d.problem().contains("other@p.iam.gserviceaccount.com"), d.problem());
        }
    }

    @Test
    void anotherAccountWithNoKeyHeldIsJustTheNewDeclaration() {
        RotationState none = committedUnder(KEY_OF_APP, Map.of(), List.of());
        Declared d = Declared.read(secret(StateCodec.write(KEY_OF_OTHER, none)));
        assertTrue(d.ok(), String.valueOf(d.problem()));
        assertEquals(policy(KEY_OF_OTHER), d.policy());
    }

    @Test
    void theConsumersAreTheDeclaredOnesOrTheFallbackWhileTheDeclarationDoesNotParse() {
        Map<String, String> withConsumer = new HashMap<>(KEY_OF_APP);
        withConsumer.put("rotor.consumers", "run:projects/p/locations/europe-west1/services/api");
        Policy fallback = policy(KEY_OF_APP);
        assertEquals(List.of("run:projects/p/locations/europe-west1/services/api"),
                Declared.consumers(secret(withConsumer), fallback));
        Policy old = policy(withConsumer);
        assertEquals(old.consumers(), Declared.consumers(secret(Map.of("rotor.kind", "carrier-pigeon")), old));
    }

    @Test
    void cmekIsMissingOnlyWhenDeclaredAndTheSecretHasNoCustomerManagedKey() {
        Map<String, String> cmek = new HashMap<>(Map.of("rotor.kind", "generated", "rotor.encryption", "cmek"));
        Policy wantsCmek = policy(cmek);
        assertTrue(Declared.cmekMissing(wantsCmek, secret(cmek)));
        assertFalse(Declared.cmekMissing(wantsCmek, secret(cmek, Optional.of("projects/p/locations/global/keyRings/r"
                + "/cryptoKeys/k"))));
        assertFalse(Declared.cmekMissing(policy(Map.of("rotor.kind", "generated")), secret(Map.of())));
    }

    @Test
    void aRunSeesEachSecretAsTheListingJudgesIt() {
        Map<String, String> cmek = Map.of("rotor.kind", "generated", "rotor.encryption", "cmek");
        RunFinished.Seen missing = RunFinished.seen(secret(cmek));
        assertTrue(missing.misconfigured());
        assertEquals(Declared.CMEK_MISSING, missing.problem());
        assertEquals(policy(cmek), missing.policy(), "the policy is still shown");
        RunFinished.Seen fine = RunFinished.seen(secret(cmek, Optional.of("projects/p/locations/global/keyRings/r"
                + "/cryptoKeys/k")));
        assertFalse(fine.misconfigured());
        assertNull(fine.problem());
        assertEquals(RotationState.NEW, fine.state());
        RunFinished.Seen unparsed = RunFinished.seen(secret(Map.of("rotor.kind", "carrier-pigeon")));
        assertTrue(unparsed.misconfigured());
        assertTrue(unparsed.problem().contains("carrier-pigeon"), unparsed.problem());
        assertEquals(new SecretRef("p", "db"), unparsed.ref());
    }
}
