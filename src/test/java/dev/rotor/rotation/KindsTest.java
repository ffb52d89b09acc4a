package dev.rotor.rotation;

import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.iam.admin.v1.ListServiceAccountKeysRequest;
import com.google.iam.admin.v1.ServiceAccountKey;
import com.nimbusds.jwt.SignedJWT;
import com.google.cloud.secretmanager.v1.SecretVersion;
import dev.rotor.policy.RotationState;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every credential kind end to end through the engine, the real clients and the emulator. */
class KindsTest {
    private final Engine engine = new Engine();
    private final String sa = engine.account("app");

    @AfterEach
    void close() {
        engine.close();
    }

    private List<ServiceAccountKey> userKeys() {
        return engine.env.bean(IAMClient.class).listServiceAccountKeys(ListServiceAccountKeysRequest.newBuilder()
                .setName("projects/-/serviceAccounts/" + sa)
                .addKeyTypes(ListServiceAccountKeysRequest.KeyType.USER_MANAGED).build()).getKeysList();
    }

    private Map<String, String> keyPolicy() {
        return Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa, "rotor.rotate-every", "P30D",
                "rotor.grace", "PT1H", "rotor.retain", "P7D");
    }

    @SuppressWarnings("unchecked")
    private String keyIdIn(String version) throws Exception {
        return (String) ObjectMapper.getDefault().readValue(engine.access("key", version), Map.class).get("private_key_id");
    }

    @Test
    void serviceAccountKeysRotateRetireAndDelete() throws Exception {
        engine.declare("key", keyPolicy());
        assertEquals(1, engine.run().summary().rotated());
        String first = keyIdIn("current");
        assertEquals(first, engine.state("key").keyIds().get("1"));
        engine.env.clock.advance(Duration.ofDays(31));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(31));
        engine.run(); // version 1 falls beyond keep-enabled: disabled, its key disabled
        assertTrue(userKeys().stream().anyMatch(k -> k.getName().endsWith(first) && k.getDisabled()));
        engine.env.clock.advance(Duration.ofDays(8));
        RunReport retire = engine.run(); // after retain: destroyed, its key deleted
        assertEquals(1, retire.summary().retired(), retire.toString());
        assertFalse(userKeys().stream().anyMatch(k -> k.getName().endsWith(first)));
        assertEquals(2, userKeys().size());
    }

    @Test
    void aKeyIsPublishedOnlyAfterItWorksWhichTakesThePropagationDelay() throws Exception {
        engine.env.emulator.iam().keyPropagation(Duration.ofSeconds(70));
        engine.declare("key", keyPolicy());
        RunReport r = engine.run();
        assertEquals(1, r.summary().rotated(), r.toString());
        assertTrue(engine.sleeper.slept >= 70_000, "waited for the key to work: " + engine.sleeper.slept + " ms");
    }

    @Test
    void aKeyThatNeverWorksIsDeletedAndTheRotationFailsCleanly() {
        engine.env.emulator.iam().keyPropagation(Duration.ofHours(1));
        engine.declare("key", keyPolicy());
        RunReport r = engine.run();
        assertEquals(1, r.summary().failed());
        String error = r.secrets().getFirst().error();
        assertTrue(error.contains("did not work within 120 s") && error.contains("it is deleted")
                && error.contains("nothing was published"), error);
        assertTrue(userKeys().isEmpty(), "the unverified key was deleted");
        assertTrue(engine.versions("key").isEmpty());
    }

    @Test
    void atTheTenKeyLimitRotorDeletesOnlyItsOwnRetiredKeysAndNamesTheOthers() {
        IAMClient admin = engine.env.bean(IAMClient.class);
        for (int i = 0; i < 10; i++) {
            admin.createServiceAccountKey(com.google.iam.admin.v1.CreateServiceAccountKeyRequest.newBuilder()
                    .setName("projects/-/serviceAccounts/" + sa).build());
        }
        engine.declare("key", keyPolicy());
        RunReport r = engine.run();
        assertEquals(1, r.summary().failed());
        String error = r.secrets().getFirst().error();
        assertTrue(error.contains("has 10 user-managed keys") && error.contains("(not made by Rotor for this secret)"), error);
        assertEquals(10, userKeys().size(), "keys Rotor did not make are never touched");
    }

    @Test
    void rotorMakesRoomByDeletingItsOwnRetiredKeys() {
        engine.declare("key", Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa,
                "rotor.rotate-every", "P1D", "rotor.grace", "PT1H", "rotor.retain", "P365D"));
        for (int i = 0; i < 12; i++) {
            RunReport r = engine.run();
            assertEquals(0, r.summary().failed(), r.toString());
            engine.env.clock.advance(Duration.ofDays(2));
        }
        assertTrue(userKeys().size() <= 10, "stays within Google's limit: " + userKeys().size());
        assertEquals(12L, engine.state("key").current());
    }

    @Test
    void theKeyCreationPolicyGivesAnActionableError() {
        engine.env.emulator.iam().keyCreationDisabledByPolicy(true);
        engine.declare("key", keyPolicy());
        String error = engine.run().secrets().getFirst().error();
        assertTrue(error.contains("iam.disableServiceAccountKeyCreation") && error.contains("exempt"), error);
    }

    @Test
    void accessTokensAreStoredBareWithTheirExpiryAndRefreshedBeforeIt() {
        engine.declare("tok", Map.of("rotor.kind", "access-token", "rotor.service-account", sa,
                "rotor.refresh-before", "PT15M", "rotor.lifetime", "PT1H"));
        engine.run();
        assertTrue(engine.access("tok", "current").startsWith("ya29."));
        RotationState s = engine.state("tok");
        assertEquals(EngineTimes.plus(engine, Duration.ofHours(1)), s.expiresAt());
        engine.env.clock.advance(Duration.ofMinutes(44));
        assertEquals(0, engine.run().summary().rotated(), "16 minutes left: not yet");
        engine.env.clock.advance(Duration.ofMinutes(2));
        assertEquals(1, engine.run().summary().rotated(), "14 minutes left: refreshed");
        // the first token version retires once it has expired
        engine.env.clock.advance(Duration.ofMinutes(20));
        engine.env.clock.advance(Duration.ofMinutes(40));
        engine.run();
        engine.env.clock.advance(Duration.ofMinutes(45));
        engine.run();
        long enabled = engine.versions("tok").stream().filter(v -> v.getState() == SecretVersion.State.ENABLED).count();
        assertTrue(enabled <= 2, "steady state keeps at most keep-enabled versions enabled: " + enabled);
    }

    @Test
    void aLifetimeTheAccountMayNotHaveIsClampedToOneHour() {
        engine.declare("tok", Map.of("rotor.kind", "access-token", "rotor.service-account", sa, "rotor.lifetime", "PT8H"));
        engine.run();
        assertEquals(EngineTimes.plus(engine, Duration.ofHours(1)), engine.state("tok").expiresAt());
        engine.env.emulator.iam().allowLifetimeExtension(sa, true);
        engine.declare("long", Map.of("rotor.kind", "access-token", "rotor.service-account", sa, "rotor.lifetime", "PT8H"));
        engine.run();
        assertEquals(EngineTimes.plus(engine, Duration.ofHours(8)), engine.state("long").expiresAt());
    }

    @Test
    void aTokenThatWouldExpireBeforeTheNextRunIsNotPublished() {
        engine.declare("tok", Map.of("rotor.kind", "access-token", "rotor.service-account", sa,
                "rotor.lifetime", "PT3M", "rotor.refresh-before", "PT1M"));
        RunReport r = engine.run();
        assertEquals(1, r.summary().failed());
        assertTrue(r.secrets().getFirst().error().contains("before the next run"), r.secrets().getFirst().error());
        assertTrue(engine.versions("tok").isEmpty());
    }

    @Test
    void permissionDeniedIsRetriedWhileTheGrantPropagatesThenExplained() {
        engine.env.emulator.iam().revokeTokenCreator(sa);
        engine.declare("tok", Map.of("rotor.kind", "access-token", "rotor.service-account", sa));
        RunReport r = engine.run();
        assertEquals(1, r.summary().failed());
        String error = r.secrets().getFirst().error();
        assertTrue(error.contains("iam.serviceAccounts.getAccessToken") && error.contains("2 to 7 minutes"), error);
        assertTrue(engine.sleeper.slept > 0, "it retried");
        engine.env.emulator.iam().grantTokenCreator(sa);
        assertEquals(1, engine.run().summary().rotated());
    }

    @Test
    void idTokensAreForTheDeclaredAudienceAndCarryTheirExpiry() throws Exception {
        engine.declare("idt", Map.of("rotor.kind", "id-token", "rotor.service-account", sa,
                "rotor.audience", "https://backend.example"));
        engine.run();
        SignedJWT jwt = SignedJWT.parse(engine.access("idt", "current"));
        assertEquals(List.of("https://backend.example"), jwt.getJWTClaimsSet().getAudience());
        assertEquals(sa, jwt.getJWTClaimsSet().getStringClaim("email"));
        assertEquals(jwt.getJWTClaimsSet().getExpirationTime().toInstant(), engine.state("idt").expiresAt());
    }

    /** Times relative to the emulated clock. */
    static final class EngineTimes {
        static Instant plus(Engine e, Duration d) {
            return e.env.clock.instant().plus(d);
        }
    }
}
