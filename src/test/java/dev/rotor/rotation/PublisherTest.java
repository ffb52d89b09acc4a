package dev.rotor.rotation;

import dev.rotor.error.RemoteException;
import dev.rotor.local.faults.Faults;
import dev.rotor.policy.RotationState;
import dev.rotor.policy.RotationState.Phase;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Publisher} alone on one emulated Secret Manager, through the real client: an ambiguous add is looked
 * for by number before adding again, "did it land?" counts only enabled versions made since the claim (less
 * the clock skew), and an ambiguous commit is judged by reading the state back.
 */
class PublisherTest {
    private static Engine engine;
    private static SecretStore store;
    private static Publisher publisher;
    private static int secrets;
    private SecretRef ref;

    @BeforeAll
    static void start() {
        engine = new Engine();
        store = engine.env.bean(SecretStore.class);
        publisher = new Publisher(store);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @AfterEach
    void clearFaults() {
        engine.env.emulator.faults().clear();
    }

    private SecretRef fresh() {
        String id = "pub" + (++secrets);
        engine.declare(id, Map.of("rotor.kind", "generated"));
        ref = new SecretRef(Engine.PROJECT, id);
        return ref;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Instant now() {
        return engine.env.clock.instant();
    }

    @Test
    void anAddWhoseAnswerWasLostIsTheVersionItAddedNotADuplicate() {
        fresh();
        long current = store.addVersion(ref, bytes("v1"));
        engine.env.emulator.faults().fail("AddSecretVersion", Status.Code.UNAVAILABLE, Faults.When.AFTER, 1);
        assertEquals(2L, publisher.publish(ref, bytes("v2"), current, now()));
        assertEquals(2, store.versions(ref).size());
    }

    @Test
    void anAddThatNeverLandedIsMadeAgain() {
        fresh();
        engine.env.emulator.faults().fail("AddSecretVersion", Status.Code.UNAVAILABLE, Faults.When.BEFORE, 1);
        assertEquals(1L, publisher.publish(ref, bytes("v1"), null, now()));
        assertArrayEquals(bytes("v1"), store.access(ref, 1));
    }

    @Test
    void aVersionOfAnotherValueWhereOursMayHaveLandedIsNeverTakenForOurs() {
        fresh();
        Instant claimed = now();
        store.addVersion(ref, bytes("someone else's")); // 1, after the claim
        engine.env.emulator.faults().fail("AddSecretVersion", Status.Code.UNAVAILABLE, Faults.When.BEFORE, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> publisher.publish(ref, bytes("ours"), null, claimed));
        assertTrue(e.getMessage().contains("version 1 holds another value; refusing to guess"), e.getMessage());
        assertEquals(1, store.versions(ref).size(), "nothing more was added");
    }

    @Test
    void landedCountsTheNewestEnabledVersionAboveCurrentMadeSinceTheClaimLessTheSkew() {
        fresh();
        long current = store.addVersion(ref, bytes("v1"));
        engine.env.clock.advance(Duration.ofMinutes(5));
        Instant claimed = now();
        assertEquals(Optional.empty(), publisher.findLanded(ref, current, claimed), "nothing above current");
        engine.env.clock.advance(Duration.ofSeconds(1));
        long mine = store.addVersion(ref, bytes("v2"));
        long disabled = store.addVersion(ref, bytes("v3"));
        store.disable(ref, disabled);
        assertEquals(Optional.of(mine), publisher.findLanded(ref, current, claimed), "a disabled number is skipped");
        assertEquals(Optional.of(mine), publisher.findLanded(ref, null, claimed), "no current: probing starts at 1");
        Instant made = claimed.plusSeconds(1);
        assertEquals(Optional.of(mine), publisher.findLanded(ref, current, made.plus(Publisher.CLOCK_SKEW)),
                "made exactly the skew before the claim: still counts");
        assertEquals(Optional.empty(), publisher.findLanded(ref, current, made.plus(Publisher.CLOCK_SKEW).plusSeconds(1)),
                "made more than the skew before the claim: an older attempt's, or someone else's");
        assertEquals(Optional.of(mine), publisher.findLanded(ref, current, null), "no claim time: any version counts");
    }

    @Test
    void probingStopsFiftyAboveCurrent() {
        fresh();
        for (int i = 1; i <= Publisher.MAX_PROBE + 1; i++) {
            store.addVersion(ref, bytes("v" + i));
        }
        assertEquals(Optional.of((long) Publisher.MAX_PROBE), publisher.findLanded(ref, null, now()));
    }

    @Test
    void aReadBackOfAnotherValueFails() {
        fresh();
        long v = store.addVersion(ref, bytes("stored"));
        publisher.readBack(ref, v, bytes("stored"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> publisher.readBack(ref, v, bytes("expected")));
        assertTrue(e.getMessage().contains("version 1 of " + ref + " does not hold the value written"), e.getMessage());
    }

    @Test
    void aCommitWhoseAnswerWasLostIsRecognisedByItsAttemptAndAnyOtherConflictStands() {
        fresh();
        long v = store.addVersion(ref, bytes("v1"));
        ManagedSecret secret = store.get(ref);
        RotationState target = RotationState.NEW.claimed("run", "attempt-1", now(), now().plusSeconds(600))
                .committed(v, now(), null, Map.of(), Phase.IDLE, null);
        engine.env.emulator.faults().fail("UpdateSecret", Status.Code.UNAVAILABLE, Faults.When.AFTER, 1);
        ManagedSecret seen = commit(secret, target);
        assertEquals("attempt-1", StateCodec.read(seen).attemptId(), "the commit landed and is taken");
        engine.env.emulator.faults().clear();

        RotationState other = target.claimed("run", "attempt-2", now(), now().plusSeconds(600))
                .committed(v, now(), null, Map.of(), Phase.IDLE, null);
        engine.env.emulator.faults().fail("UpdateSecret", Status.Code.ABORTED, Faults.When.BEFORE, 1);
        assertThrows(RemoteException.Conflict.class, () -> commit(seen, other), "attempt-2 never landed");
        RotationState sameAttemptOtherVersion = target.claimed("run", "attempt-1", now(), now().plusSeconds(600))
                .committed(v + 1, now(), null, Map.of(), Phase.IDLE, null);
        assertThrows(RemoteException.Conflict.class, () -> commit(secret, sameAttemptOtherVersion),
                "a stale etag with another version recorded is a real conflict");
        RotationState noAttempt = RotationState.NEW.committed(v, now(), null, Map.of(), Phase.IDLE, null);
        assertThrows(RemoteException.Conflict.class, () -> commit(secret, noAttempt),
                "a state without an attempt id is never taken for one that landed");
    }

    private ManagedSecret commit(ManagedSecret secret, RotationState target) {
        return publisher.commit(ref, secret.etag(), StateCodec.write(secret.annotations(), target),
                StateCodec.aliases(secret.aliases(), target), target);
    }
}
