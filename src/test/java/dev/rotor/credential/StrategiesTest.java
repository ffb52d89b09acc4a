package dev.rotor.credential;

import dev.rotor.error.RemoteException;
import dev.rotor.local.EmulatedContext;
import dev.rotor.local.faults.Faults;
import dev.rotor.local.MutableClock;
import dev.rotor.policy.Kind;
import dev.rotor.policy.Policy;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.SecretRef;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each credential strategy on its own, against the emulated IAM APIs through the official clients: what a
 * mint records, what adoption rebuilds from a payload, what an unverified or uncommitted key leaves behind.
 */
class StrategiesTest {
    private static final SecretRef REF = new SecretRef("demo-project", "s");
    private static EmulatedContext env;
    private static ServiceAccountKeys keys;
    private static int accounts;

    @BeforeAll
    static void start() {
        MutableClock[] clock = new MutableClock[1];
        env = new EmulatedContext(Map.of(), Map.of(Sleeper.class, (Sleeper) d -> clock[0].advance(d)));
        clock[0] = env.clock;
        keys = env.bean(ServiceAccountKeys.class);
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private static String account() {
        return env.emulator.iam().createAccount("demo-project", "strategy" + (++accounts)).email();
    }

    private static Policy policy(String kind, String sa, String... more) {
        Map<String, String> a = new java.util.HashMap<>(Map.of("rotor.kind", kind, "rotor.service-account", sa));
        for (int i = 0; i < more.length; i += 2) {
            a.put(more[i], more[i + 1]);
        }
        return GeneratedTest.policy(a);
    }

    /** Records what a mint reports, as the engine's write-ahead record does. */
    private static final class Recorder implements MintContext.Made {
        final List<String> made = new ArrayList<>();
        final List<String> undone = new ArrayList<>();

        @Override
        public void made(String keyId) {
            made.add(keyId);
        }

        @Override
        public void undone(String keyId) {
            undone.add(keyId);
        }
    }

    private static List<ServiceAccountKeys.KeyInfo> keysOf(String sa) {
        return keys.userManaged(sa);
    }

    @Test
    void aKeyIsRecordedTheMomentItExistsAndAFailedRecordDeletesIt() {
        ServiceAccountKeyStrategy strategy = env.bean(ServiceAccountKeyStrategy.class);
        String sa = account();
        Recorder recorder = new Recorder();
        Minted minted = strategy.mint(REF, policy("service-account-key", sa), new MintContext(RotationState.NEW, null,
                recorder));
        assertEquals(List.of(minted.keyId().orElseThrow()), recorder.made);
        assertTrue(new String(minted.payload(), StandardCharsets.UTF_8).contains(minted.keyId().get()));
        strategy.verify(minted, policy("service-account-key", sa));

        MintContext.Made failing = new MintContext.Made() {
            @Override
            public void made(String keyId) {
                throw new IllegalStateException("etag mismatch");
            }

            @Override
            public void undone(String keyId) {
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> strategy.mint(REF,
                policy("service-account-key", sa), new MintContext(RotationState.NEW, null, failing)));
        assertTrue(e.getMessage().contains("could not be recorded (etag mismatch); it is deleted"), e.getMessage());
        assertEquals(List.of(minted.keyId().get()), keysOf(sa).stream().map(ServiceAccountKeys.KeyInfo::id).toList(),
                "only the recorded key is left");
    }

    @Test
    void aKeyWhoseCreateAnswerWasLostIsRecordedAndDeletedAndTheKeysBeforeItStay() {
        ServiceAccountKeyStrategy strategy = env.bean(ServiceAccountKeyStrategy.class);
        String sa = account();
        String before = keys.create(sa).id();
        Recorder recorder = new Recorder();
        env.emulator.faults().fail("CreateServiceAccountKey", Status.Code.UNAVAILABLE, Faults.When.AFTER, 1);
        try {
            assertThrows(RemoteException.Retryable.class, () -> strategy.mint(REF, policy("service-account-key", sa),
                    new MintContext(RotationState.NEW, null, recorder)));
        } finally {
            env.emulator.faults().clear();
        }
        assertEquals(List.of(before), keysOf(sa).stream().map(ServiceAccountKeys.KeyInfo::id).toList(),
                "the key whose private half was lost is gone");
        assertEquals(1, recorder.made.size(), "it was recorded before its delete");
        assertEquals(recorder.made, recorder.undone);
        assertFalse(recorder.made.contains(before));
    }

    @Test
    void aNewKeyIsTriedUntilItWorksAndOneThatNeverWorksWithinTheBudgetIsExplained() {
        ServiceAccountKeyStrategy strategy = env.bean(ServiceAccountKeyStrategy.class);
        String sa = account();
        Policy p = policy("service-account-key", sa);
        MintContext context = new MintContext(RotationState.NEW, null, MintContext.NOT_RECORDED);
        env.emulator.iam().keyPropagation(Duration.ofSeconds(30));
        try {
            Minted slow = strategy.mint(REF, p, context);
            Instant start = env.clock.instant();
            strategy.verify(slow, p);
            assertEquals(Duration.ofSeconds(31), Duration.between(start, env.clock.instant()),
                    "waits of 1, 2, 4, 8 and 16 s: the key works 30 s after its creation");
            env.emulator.iam().keyPropagation(Duration.ofMinutes(10));
            Minted never = strategy.mint(REF, p, context);
            Instant again = env.clock.instant();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> strategy.verify(never, p));
            assertTrue(e.getMessage().startsWith("new key " + never.keyId().orElseThrow() + " did not work within 120 s "
                    + "(the token endpoint refused the new key " + never.keyId().get() + " ("), e.getMessage());
            assertTrue(e.getMessage().contains("400"), "the first line of the token endpoint's refusal: " + e.getMessage());
            assertTrue(e.getMessage().endsWith("); it is deleted"), e.getMessage());
            assertEquals(Duration.ofSeconds(111), Duration.between(again, env.clock.instant()),
                    "the waits that fit the 2 min budget: 1+2+4+8+16+20+20+20+20 s");
        } finally {
            env.emulator.iam().keyPropagation(Duration.ZERO);
        }
        Instant start = env.clock.instant();
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> strategy.verify(new Minted(
                "{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8), Optional.of("k"), Optional.empty()), p));
        assertEquals("the new key file does not parse as a service-account key", bad.getMessage());
        assertEquals(start, env.clock.instant(), "a file that does not parse is not tried again");
    }

    @Test
    void uncommittedKeysOfEarlierAttemptsAreDeletedExceptTheOneBeingAdopted() {
        ServiceAccountKeyStrategy strategy = env.bean(ServiceAccountKeyStrategy.class);
        String sa = account();
        String committed = keys.create(sa).id();
        String lost = keys.create(sa).id();
        String adopted = keys.create(sa).id();
        RotationState state = RotationState.NEW.claimed("r", "a", Instant.EPOCH, Instant.EPOCH)
                .committed(1, Instant.EPOCH, null, Map.of("1", committed), RotationState.Phase.IDLE, null)
                .withPendingKeys(List.of(committed, lost, adopted));
        Recorder recorder = new Recorder();
        strategy.undoUnpublished(policy("service-account-key", sa), new MintContext(state, null, recorder),
                Optional.of(adopted));
        assertEquals(List.of(committed, adopted).stream().sorted().toList(),
                keysOf(sa).stream().map(ServiceAccountKeys.KeyInfo::id).sorted().toList(), "only the lost key is deleted");
        assertEquals(List.of(committed, lost), recorder.undone, "the adopted key stays pending until its commit");
    }

    @Test
    void aDiscardedKeyIsDeletedAndARetiredOneDisabled() {
        ServiceAccountKeyStrategy strategy = env.bean(ServiceAccountKeyStrategy.class);
        String sa = account();
        Policy p = policy("service-account-key", sa);
        ServiceAccountKeys.CreatedKey unverified = keys.create(sa);
        String retired = keys.create(sa).id();
        String destroyed = keys.create(sa).id();
        strategy.discard(new Minted(unverified.json(), Optional.of(unverified.id()), Optional.empty()), p);
        strategy.retired(p, retired);
        strategy.destroyed(p, destroyed);
        assertEquals(List.of(retired), keysOf(sa).stream().map(ServiceAccountKeys.KeyInfo::id).toList());
        assertTrue(keysOf(sa).getFirst().disabled());
        strategy.discard(new Minted(unverified.json(), Optional.of(unverified.id()), Optional.empty()), p);
    }

    @Test
    void anAdoptedKeyFileIsReadForItsIdAndIAMForItsExpiry() {
        ServiceAccountKeyStrategy strategy = env.bean(ServiceAccountKeyStrategy.class);
        String sa = account();
        Policy p = policy("service-account-key", sa);
        env.emulator.iam().keyExpiry(Duration.ofHours(8));
        ServiceAccountKeys.CreatedKey k;
        try {
            k = keys.create(sa);
        } finally {
            env.emulator.iam().keyExpiry(null);
        }
        Minted adopted = strategy.adopt(k.json(), p, env.clock.instant());
        assertEquals(Optional.of(k.id()), adopted.keyId());
        assertEquals(Optional.of(env.clock.instant().plus(Duration.ofHours(8))), adopted.expiresAt());
        assertTrue(assertThrows(IllegalStateException.class, () -> strategy.adopt("{\"type\":\"x\"}".getBytes(
                StandardCharsets.UTF_8), p, Instant.EPOCH)).getMessage().contains("no private_key_id"));
        assertTrue(assertThrows(IllegalStateException.class, () -> strategy.adopt("not json".getBytes(
                StandardCharsets.UTF_8), p, Instant.EPOCH)).getMessage().contains("does not hold a JSON key file"));
    }

    @Test
    void anAdoptedAccessTokenIsTakenToExpireAsEarlyAsItCould() {
        AccessTokens tokens = env.bean(AccessTokens.class);
        String sa = account();
        Instant since = Instant.parse("2026-03-01T10:00:00Z");
        byte[] token = "ya29.t".getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.of(since.plus(Duration.ofMinutes(30))), tokens.adopt(token,
                policy("access-token", sa, "rotor.lifetime", "PT30M", "rotor.refresh-before", "PT10M"), since).expiresAt());
        assertEquals(Optional.of(since.plus(Duration.ofHours(1))), tokens.adopt(token,
                policy("access-token", sa, "rotor.lifetime", "PT8H"), since).expiresAt(), "IAM may have granted 1 h only");
    }

    @Test
    void aLifetimeAboveTwelveHoursIsAskedAsTwelveAndARefusedOneAsOneHour() {
        AccessTokens tokens = env.bean(AccessTokens.class);
        String sa = account();
        Instant now = env.clock.instant();
        env.emulator.iam().allowLifetimeExtension(sa, true);
        Minted twelve = tokens.mint(REF, policy("access-token", sa, "rotor.lifetime", "PT13H"), null);
        assertEquals(now.plus(Duration.ofHours(12)), twelve.expiresAt().orElseThrow());
        env.emulator.iam().allowLifetimeExtension(sa, false);
        Minted one = tokens.mint(REF, policy("access-token", sa, "rotor.lifetime", "PT13H"), null);
        assertEquals(now.plus(Duration.ofHours(1)), one.expiresAt().orElseThrow());
        tokens.verify(one, policy("access-token", sa));
    }

    @Test
    void anIdTokenMustBeForTheDeclaredAudienceAndItsExpiryIsReadFromIt() {
        IdTokens tokens = env.bean(IdTokens.class);
        String sa = account();
        Policy backend = policy("id-token", sa, "rotor.audience", "https://backend.example");
        Minted minted = tokens.mint(REF, backend, null);
        tokens.verify(minted, backend);
        assertEquals(minted.expiresAt(), tokens.adopt(minted.payload(), backend, Instant.EPOCH).expiresAt());
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> tokens.verify(minted, policy("id-token", sa, "rotor.audience", "https://other.example")));
        assertTrue(other.getMessage().contains("not for audience https://other.example"), other.getMessage());
        Minted garbage = new Minted("not a jwt".getBytes(StandardCharsets.UTF_8), Optional.empty(), minted.expiresAt());
        assertTrue(assertThrows(IllegalStateException.class, () -> tokens.verify(garbage, backend)).getMessage()
                .contains("not a JWT"));
        assertTrue(assertThrows(IllegalStateException.class, () -> tokens.adopt(garbage.payload(), backend,
                Instant.EPOCH)).getMessage().contains("does not hold an ID token"));
    }

    @Test
    void eachKindHasOneStrategy() {
        assertEquals(java.util.Arrays.stream(Kind.values()).sorted().toList(), env.context.getBeansOfType(
                CredentialStrategy.class).stream().map(CredentialStrategy::kind).sorted().toList());
    }

    @Test
    void aOneHourTokenRefusedIsNotAskedAgain() {
        AccessTokens tokens = env.bean(AccessTokens.class);
        String sa = account();
        long before = env.emulator.faults().calls("GenerateAccessToken");
        env.emulator.faults().fail("GenerateAccessToken", Status.Code.INVALID_ARGUMENT, Faults.When.BEFORE, 1);
        try {
            assertThrows(RemoteException.Fatal.class, () -> tokens.mint(REF, policy("access-token", sa,
                    "rotor.lifetime", "PT1H"), null));
        } finally {
            env.emulator.faults().clear();
        }
        assertEquals(1, env.emulator.faults().calls("GenerateAccessToken") - before,
                "only a lifetime above 1 h is asked again as 1 h");
    }

    @Test
    void aTokenOfEitherKindThatWouldExpireBeforeTheNextRunIsRefused() {
        String sa = account();
        Optional<Instant> soon = Optional.of(env.clock.instant().plus(Duration.ofMinutes(4)));
        Policy access = policy("access-token", sa);
        AccessTokens accessTokens = env.bean(AccessTokens.class);
        Minted token = accessTokens.mint(REF, access, null);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> accessTokens.verify(new Minted(token.payload(), Optional.empty(), soon), access));
        assertTrue(e.getMessage().contains("before the next run"), e.getMessage());
        Policy id = policy("id-token", sa, "rotor.audience", "https://backend.example");
        IdTokens idTokens = env.bean(IdTokens.class);
        Minted idToken = idTokens.mint(REF, id, null);
        e = assertThrows(IllegalStateException.class,
                () -> idTokens.verify(new Minted(idToken.payload(), Optional.empty(), soon), id));
        assertTrue(e.getMessage().contains("before the next run"), e.getMessage());
    }
}
