package dev.rotor.rotation;

import dev.rotor.local.faults.Faults;
import dev.rotor.policy.RotationState;
import dev.rotor.secret.ManagedSecret;
import dev.rotor.secret.SecretRef;
import dev.rotor.secret.SecretStore;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The lease kept while consumers roll, on one emulated Secret Manager: renewed from the moment half of it is
 * spent (not before), by an etag-guarded write whose result the keeper then holds, and a renewal that fails
 * leaves the lease as it was for the roll to go on.
 */
class LeaseKeeperTest {
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static Engine engine;
    private static SecretStore store;
    private static int secrets;

    @BeforeAll
    static void start() {
        engine = new Engine();
        store = engine.env.bean(SecretStore.class);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** A secret claimed now by {@code run-1} for {@link #LEASE}. */
    private static LeaseKeeper claimed() {
        String id = "lease" + (++secrets);
        engine.declare(id, Map.of("rotor.kind", "generated"));
        SecretRef ref = new SecretRef(Engine.PROJECT, id);
        Instant now = engine.env.clock.instant();
        RotationState claim = RotationState.NEW.claimed("run-1", "attempt-1", now, now.plus(LEASE));
        ManagedSecret secret = StateCodec.save(store, store.get(ref), claim);
        return new LeaseKeeper(store, engine.env.clock, LEASE, secret, claim);
    }

    @Test
    void beforeHalfTheLeaseIsSpentNothingIsWritten() {
        LeaseKeeper keeper = claimed();
        ManagedSecret before = keeper.secret();
        engine.env.clock.advance(LEASE.dividedBy(2).minusSeconds(1));
        keeper.renewIfDue();
        assertSame(before, keeper.secret());
        assertEquals(before.etag(), store.get(before.ref()).etag(), "no write");
    }

    @Test
    void atHalfTheLeaseItIsRenewedForAWholeLeaseAndTheKeeperHoldsTheNewEtag() {
        LeaseKeeper keeper = claimed();
        String etag = keeper.secret().etag();
        engine.env.clock.advance(LEASE.dividedBy(2));
        keeper.renewIfDue();
        Instant expected = engine.env.clock.instant().plus(LEASE);
        assertEquals(expected, keeper.state().leaseExpiry());
        assertEquals("run-1", keeper.state().leaseHolder());
        ManagedSecret stored = store.get(keeper.secret().ref());
        assertNotEquals(etag, stored.etag());
        assertEquals(stored.etag(), keeper.secret().etag(), "the next write uses the etag just written");
        assertEquals(expected.getEpochSecond(), StateCodec.read(stored).leaseExpiry().getEpochSecond());
    }

    @Test
    void aRenewalThatFailsLeavesTheLeaseAsItWas() {
        LeaseKeeper keeper = claimed();
        RotationState before = keeper.state();
        ManagedSecret secret = keeper.secret();
        engine.env.clock.advance(LEASE);
        engine.env.emulator.faults().fail("UpdateSecret", Status.Code.ABORTED, Faults.When.BEFORE, 1);
        try {
            keeper.renewIfDue();
        } finally {
            engine.env.emulator.faults().clear();
        }
        assertSame(before, keeper.state());
        assertSame(secret, keeper.secret());
    }

    @Test
    void aStateWithoutALeaseIsGivenOne() {
        String id = "lease" + (++secrets);
        engine.declare(id, Map.of("rotor.kind", "generated"));
        SecretRef ref = new SecretRef(Engine.PROJECT, id);
        LeaseKeeper keeper = new LeaseKeeper(store, engine.env.clock, LEASE, store.get(ref), RotationState.NEW
                .withLease("run-2", null));
        keeper.renewIfDue();
        assertEquals(engine.env.clock.instant().plus(LEASE), keeper.state().leaseExpiry());
    }
}
