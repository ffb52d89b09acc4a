package dev.rotor.rotation;

import com.google.cloud.iam.admin.v1.IAMClient;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.iam.admin.v1.CreateServiceAccountKeyRequest;
import com.google.iam.admin.v1.DeleteServiceAccountKeyRequest;
import com.google.iam.admin.v1.DisableServiceAccountKeyRequest;
import com.google.iam.admin.v1.ListServiceAccountKeysRequest;
import com.google.iam.admin.v1.ServiceAccountKey;
import dev.rotor.local.faults.Faults;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Service-account keys across failed attempts, other owners' keys, keys gone out of band and the 10-key limit
 * (issue 11 items 2, 3 and 6; issue 19 bugs 6 and 7), end to end through the engine and the emulator.
 */
class KeyAttemptsTest {
    private final Engine engine = new Engine();
    private final String sa = engine.account("app");
    private final IAMClient admin = engine.env.bean(IAMClient.class);

    @AfterEach
    void close() {
        engine.close();
    }

    private Map<String, String> policy(String... extra) {
        Map<String, String> p = new HashMap<>(Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa,
                "rotor.rotate-every", "P30D", "rotor.grace", "PT1H", "rotor.retain", "P7D"));
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    private Set<String> keyIds() {
        return admin.listServiceAccountKeys(ListServiceAccountKeysRequest.newBuilder()
                        .setName("projects/-/serviceAccounts/" + sa)
                        .addKeyTypes(ListServiceAccountKeysRequest.KeyType.USER_MANAGED).build()).getKeysList().stream()
                .map(KeyAttemptsTest::id).collect(Collectors.toSet());
    }

    private List<ServiceAccountKey> keys() {
        return admin.listServiceAccountKeys(ListServiceAccountKeysRequest.newBuilder()
                .setName("projects/-/serviceAccounts/" + sa)
                .addKeyTypes(ListServiceAccountKeysRequest.KeyType.USER_MANAGED).build()).getKeysList();
    }

    private static String id(ServiceAccountKey k) {
        return k.getName().substring(k.getName().lastIndexOf('/') + 1);
    }

    /** A person (or another tool) makes a key on the same account. */
    private String personsKey() {
        return id(admin.createServiceAccountKey(CreateServiceAccountKeyRequest.newBuilder()
                .setName("projects/-/serviceAccounts/" + sa).build()));
    }

    private void crashedRun(Step at) {
        engine.hook.crashAt(at);
        try {
            engine.run();
        } catch (CrashHook.Crash expected) {
            // the process died
        }
        engine.hook.crashAt(null);
        engine.env.clock.advance(Duration.ofMinutes(11)); // past the dead attempt's lease
    }

    @Test
    void failedAttemptsInARowLeakNoKeyAndNeverFillTheLimit() {
        engine.declare("key", policy());
        // Attempts that made a key and died alternate with attempts that died before minting: each of the
        // latter claims again, so a clean-up that looks only "since the last claim" loses the earlier key.
        for (int i = 0; i < 12; i++) {
            crashedRun(i % 2 == 0 ? Step.PUBLISH : Step.MINT);
            assertTrue(keyIds().size() <= 1, "attempt " + i + " left " + keyIds().size() + " keys: " + keyIds());
        }
        RunReport r = engine.run();
        assertEquals(1, r.summary().rotated(), r.toString());
        assertEquals(Set.of(engine.state("key").keyIds().get("1")), keyIds(), "only the committed key is left");
        assertEquals(List.of(), engine.state("key").pendingKeys());
    }

    @Test
    void failedAttemptsThatStopAtTheListAlsoLeakNothing() {
        engine.declare("key", policy());
        for (int i = 0; i < 6; i++) {
            crashedRun(Step.PUBLISH);
            engine.env.emulator.faults().fail("ListServiceAccountKeys", Status.Code.PERMISSION_DENIED,
                    Faults.When.BEFORE, 1);
            assertEquals(1, engine.run().summary().failed());
            engine.env.clock.advance(Duration.ofMinutes(11));
        }
        assertEquals(1, engine.run().summary().rotated());
        assertEquals(1, keyIds().size(), "only the committed key: " + keyIds());
    }

    @Test
    void resumeCleanUpSparesAnotherManagedSecretsKeyAndAPersonsKey() {
        engine.declare("other", policy());
        engine.declare("key", policy());
        engine.run(); // both have version 1
        engine.env.clock.advance(Duration.ofDays(31));
        crashedRun(Step.PUBLISH); // one of the two died after minting; which one does not matter
        String person = personsKey();
        RunReport r = engine.run();
        assertEquals(0, r.summary().failed(), r.toString());
        Set<String> left = keyIds();
        assertTrue(left.contains(person), "a person's key is never Rotor's to delete: " + left);
        for (String s : List.of("other", "key")) {
            var state = engine.state(s);
            assertTrue(left.contains(state.keyIds().get(state.current().toString())), s + "'s current key survives");
        }
    }

    @Test
    void retiringAVersionWhoseKeyIsAlreadyGoneSucceeds() {
        engine.declare("key", policy("rotor.keep-enabled", "1", "rotor.grace", "PT0S"));
        engine.run();
        String first = engine.state("key").keyIds().get("1");
        admin.deleteServiceAccountKey(DeleteServiceAccountKeyRequest.newBuilder()
                .setName("projects/-/serviceAccounts/" + sa + "/keys/" + first).build());
        engine.env.clock.advance(Duration.ofDays(31));
        RunReport r = engine.run(); // version 2, and version 1 retired: disabling its key meets NOT_FOUND
        assertEquals(0, r.summary().failed(), r.toString());
        assertEquals(SecretVersion.State.DISABLED, engine.versions("key").getLast().getState());
    }

    @Test
    void aKeyDeleteWhoseAnswerWasLostIsDoneOnTheRetry() {
        engine.declare("key", policy("rotor.keep-enabled", "1", "rotor.grace", "PT0S", "rotor.retain", "P1D"));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(31));
        engine.run();
        String first = engine.state("key").keyIds().get("1");
        engine.env.clock.advance(Duration.ofDays(2)); // retain passed: version 1 is destroyed, its key deleted
        engine.env.emulator.faults().fail("DeleteServiceAccountKey", Status.Code.UNAVAILABLE, Faults.When.AFTER, 1);
        engine.run();
        engine.env.clock.advance(Duration.ofMinutes(1));
        RunReport retry = engine.run();
        assertEquals(0, retry.summary().failed(), "NOT_FOUND on the repeated delete is success: " + retry);
        assertFalse(keyIds().contains(first));
        assertEquals(SecretVersion.State.DESTROYED, engine.versions("key").getLast().getState());
    }

    @Test
    void makingRoomNeverDeletesKeysOfVersionsThatAreStillEnabled() {
        for (int i = 0; i < 7; i++) {
            personsKey();
        }
        // a long grace keeps superseded versions enabled whatever retires them first
        engine.declare("key", policy("rotor.keep-enabled", "3", "rotor.rotate-every", "P1D", "rotor.grace", "P30D"));
        for (int i = 0; i < 3; i++) {
            assertEquals(0, engine.run().summary().failed());
            engine.env.clock.advance(Duration.ofDays(2));
        }
        String first = engine.state("key").keyIds().get("1");
        RunReport r = engine.run(); // 10 keys; versions 1 to 3 are enabled, so no key of Rotor's may go
        assertEquals(1, r.summary().failed(), r.toString());
        assertTrue(r.secrets().getFirst().error().contains("has 10 user-managed keys"), r.toString());
        assertTrue(keyIds().contains(first), "version 1 is still enabled: its key stays");
        assertEquals(SecretVersion.State.ENABLED, engine.versions("key").getLast().getState());
    }

    @Test
    void makingRoomNeverDeletesTheCurrentOrPreviousKeyEvenWhenTheyAreTheOldestAndDisabled() {
        engine.declare("key", policy("rotor.rotate-every", "P1D"));
        engine.run();
        engine.env.clock.advance(Duration.ofDays(2));
        engine.run();
        for (int i = 0; i < 8; i++) {
            personsKey();
        }
        var state = engine.state("key");
        for (String v : List.of("1", "2")) { // an operator disables both during an incident
            admin.disableServiceAccountKey(DisableServiceAccountKeyRequest.newBuilder()
                    .setName("projects/-/serviceAccounts/" + sa + "/keys/" + state.keyIds().get(v)).build());
        }
        engine.env.clock.advance(Duration.ofDays(2));
        RunReport r = engine.run();
        assertEquals(1, r.summary().failed(), r.toString());
        assertTrue(r.secrets().getFirst().error().contains("current or previous"), r.toString());
        assertTrue(keyIds().containsAll(List.of(state.keyIds().get("1"), state.keyIds().get("2"))),
                "the oldest keys are the current and previous ones: never deleted to make room");
    }
}
