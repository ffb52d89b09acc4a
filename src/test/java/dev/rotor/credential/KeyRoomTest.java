package dev.rotor.credential;

import dev.rotor.error.RemoteException;
import dev.rotor.local.EmulatedContext;
import dev.rotor.policy.Policy;
import dev.rotor.policy.RotationState;
import dev.rotor.policy.RotationState.Phase;
import dev.rotor.secret.SecretRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Making room under IAM's 10-key limit, against the emulated IAM Admin API through the real client: only
 * Rotor's own retired keys of this secret go, oldest first and no more than needed; the current and previous
 * versions' keys, enabled keys and other people's keys stay, and each one in the way is named.
 */
class KeyRoomTest {
    private static EmulatedContext env;
    private static ServiceAccountKeys keys;
    private static int accounts;

    @BeforeAll
    static void start() {
        env = new EmulatedContext();
        keys = env.bean(ServiceAccountKeys.class);
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    /** A fresh account with {@code n} keys made a minute apart, oldest first. */
    private static List<String> accountWithKeys(String[] sa, int n) {
        sa[0] = env.emulator.iam().createAccount("demo-project", "room" + (++accounts)).email();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            env.clock.advance(Duration.ofMinutes(1));
            ids.add(keys.create(sa[0]).id());
        }
        return ids;
    }

    /** Rotor's record: version i+1 holds key i of {@code ids}; current and previous are the last two. */
    private static RotationState recorded(List<String> ids) {
        Map<String, String> byVersion = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            byVersion.put(Long.toString(i + 1), ids.get(i));
        }
        return recorded(ids.size(), byVersion);
    }

    /** Versions {@code current - 1} and {@code current} committed, holding the keys of {@code byVersion}. */
    private static RotationState recorded(long current, Map<String, String> byVersion) {
        RotationState s = RotationState.NEW;
        for (long v = current - 1; v <= current; v++) {
            s = s.claimed("run", "attempt", env.clock.instant(), env.clock.instant().plusSeconds(600))
                    .committed(v, env.clock.instant(), null, byVersion, Phase.IDLE, null);
        }
        return s;
    }

    private static List<String> ids(String sa) {
        return keys.userManaged(sa).stream().map(ServiceAccountKeys.KeyInfo::id).toList();
    }

    @Test
    void belowTheLimitNothingIsDeleted() {
        String[] sa = new String[1];
        List<String> ids = accountWithKeys(sa, KeyRoom.KEY_LIMIT - 1);
        ids.forEach(id -> keys.disable(sa[0], id));
        KeyRoom.make(keys, sa[0], new ArrayList<>(keys.userManaged(sa[0])), recorded(ids));
        assertEquals(KeyRoom.KEY_LIMIT - 1, ids(sa[0]).size());
    }

    @Test
    void atTheLimitOnlyTheOldestRetiredKeyOfThisSecretGoes() {
        String[] sa = new String[1];
        List<String> ids = accountWithKeys(sa, KeyRoom.KEY_LIMIT);
        ids.forEach(id -> keys.disable(sa[0], id)); // retired, current and previous disabled out of band too
        List<ServiceAccountKeys.KeyInfo> existing = new ArrayList<>(keys.userManaged(sa[0]));
        KeyRoom.make(keys, sa[0], existing, recorded(ids));
        assertEquals(ids.subList(1, ids.size()), ids(sa[0]).stream().sorted(java.util.Comparator.comparingInt(ids::indexOf))
                .toList(), "one key, the oldest, made room");
        assertEquals(KeyRoom.KEY_LIMIT - 1, existing.size(), "the caller's list follows");
    }

    @Test
    void theCurrentAndPreviousKeysStayEvenWhenDisabledAndTheOthersInTheWayAreNamed() {
        String[] sa = new String[1];
        List<String> ids = accountWithKeys(sa, KeyRoom.KEY_LIMIT);
        // versions 1-2 are Rotor's and still enabled, 3-8 not Rotor's (a person's), 9-10 current and previous
        RotationState s = recorded(10, Map.of("1", ids.get(0), "2", ids.get(1), "9", ids.get(8), "10", ids.get(9)));
        keys.disable(sa[0], ids.get(8));
        keys.disable(sa[0], ids.get(9));
        RemoteException.FailedPrecondition e = assertThrows(RemoteException.FailedPrecondition.class,
                () -> KeyRoom.make(keys, sa[0], new ArrayList<>(keys.userManaged(sa[0])), s));
        assertEquals(KeyRoom.KEY_LIMIT, ids(sa[0]).size(), "nothing was deleted");
        String m = e.getMessage();
        assertTrue(m.contains("has 10 user-managed keys, Google's limit is 10, and Rotor may delete none of them"), m);
        assertTrue(m.contains(ids.get(0) + " (Rotor's, version 1, still enabled) created "), m);
        assertTrue(m.contains(ids.get(2) + " (not made by Rotor for this secret) created "), m);
        assertTrue(m.contains(ids.get(8) + " (Rotor's, version 9, current or previous) created "), m);
        assertTrue(m.contains(ids.get(9) + " (Rotor's, version 10, current or previous) created "), m);
        assertTrue(m.endsWith("nothing was created"), m);
    }

    @Test
    void aMintAtTheLimitMakesRoomFirstAndReportsTheKeysLeftBeforeItsCreate() {
        String[] sa = new String[1];
        List<String> ids = accountWithKeys(sa, KeyRoom.KEY_LIMIT);
        ids.forEach(id -> keys.disable(sa[0], id));
        Set<String> listed = new HashSet<>();
        MintContext.Made made = new MintContext.Made() {
            @Override
            public void made(String keyId) {
            }

            @Override
            public void undone(String keyId) {
            }

            @Override
            public void listed(Set<String> keyIds) {
                listed.addAll(keyIds);
            }
        };
        Policy p = GeneratedTest.policy(Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa[0]));
        Minted minted = env.bean(ServiceAccountKeyStrategy.class).mint(new SecretRef("demo-project", "s"), p,
                new MintContext(recorded(ids), null, made));
        assertEquals(Set.copyOf(ids.subList(1, ids.size())), listed, "the oldest retired key made room before the create");
        List<String> after = ids(sa[0]);
        assertEquals(KeyRoom.KEY_LIMIT, after.size());
        assertTrue(after.contains(minted.keyId().orElseThrow()) && !after.contains(ids.getFirst()), after.toString());
    }
}
