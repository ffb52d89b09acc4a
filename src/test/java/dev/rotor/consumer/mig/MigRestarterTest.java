package dev.rotor.consumer.mig;

import com.google.cloud.compute.v1.DistributionPolicy;
import com.google.cloud.compute.v1.DistributionPolicyZoneConfiguration;
import com.google.cloud.compute.v1.InstanceGroupManager;
import com.google.cloud.compute.v1.InstanceGroupManagersClient;
import com.google.cloud.compute.v1.RegionInstanceGroupManagersClient;
import com.google.cloud.compute.v1.StatefulPolicy;
import com.google.cloud.compute.v1.StatefulPolicyPreservedState;
import com.google.cloud.compute.v1.StatefulPolicyPreservedStateDiskDevice;
import dev.rotor.consumer.Restarter;
import dev.rotor.credential.Sleeper;
import dev.rotor.error.RemoteException;
import dev.rotor.local.EmulatedContext;
import dev.rotor.local.compute.MigState;
import dev.rotor.secret.SecretRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MIG restarter through the real Compute REST client against the emulated Compute API; waiting moves the clock. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigRestarterTest {
    private static final String TEMPLATE = "projects/demo-project/global/instanceTemplates/worker-1";
    private static final SecretRef DB = new SecretRef("demo-project", "db");
    private final AtomicReference<EmulatedContext> holder = new AtomicReference<>();
    private final EmulatedContext env = new EmulatedContext(Map.of("rotor.restart.poll-interval", "PT1M"), Map.of(Sleeper.class,
            (Sleeper) d -> holder.get().clock.advance(d)));
    private final MigState migs = env.emulator.migs();
    private final MigRestarter restarter = env.bean(MigRestarter.class);
    private final AtomicInteger ids = new AtomicInteger();

    MigRestarterTest() {
        holder.set(env);
    }

    @AfterAll
    void close() {
        env.close();
    }

    private String group(String scope, int size) {
        String name = "projects/demo-project/" + scope + "/instanceGroupManagers/workers-" + ids.incrementAndGet();
        migs.put(name, InstanceGroupManager.newBuilder().setInstanceTemplate(TEMPLATE).setTargetSize(size).build());
        return name;
    }

    private Restarter.Rolled roll(String name, long version, boolean outageAllowed) {
        return restarter.roll(new Restarter.Roll("mig:" + name, DB, version, outageAllowed));
    }

    @Test
    void replacesEveryInstanceOneAtATimeWithoutUnavailabilityAndWaitsUntilStable() {
        String name = group("zones/europe-west1-b", 3);
        migs.replaceDelay(name, Duration.ofMinutes(2));
        Instant before = env.clock.instant();
        assertTrue(roll(name, 4, false).updated());
        assertTrue(Duration.between(before, env.clock.instant()).toMinutes() >= 6, "three VMs, two minutes each");
        InstanceGroupManager igm = env.bean(InstanceGroupManagersClient.class).get("demo-project", "europe-west1-b",
                name.substring(name.lastIndexOf('/') + 1));
        assertEquals("0/demo-project/db@4", igm.getVersions(0).getName());
        assertEquals(TEMPLATE, igm.getVersions(0).getInstanceTemplate());
        assertEquals("PROACTIVE", igm.getUpdatePolicy().getType());
        assertEquals("REPLACE", igm.getUpdatePolicy().getMinimalAction());
        assertEquals(1, igm.getUpdatePolicy().getMaxSurge().getFixed());
        assertEquals(0, igm.getUpdatePolicy().getMaxUnavailable().getFixed());
        assertTrue(igm.getStatus().getIsStable());
    }

    @Test
    void aRollRetriedThreeTimesReplacesOnce() {
        String name = group("zones/europe-west1-b", 1);
        int before = migs.replacements();
        assertTrue(roll(name, 4, false).updated());
        assertFalse(roll(name, 4, false).updated());
        assertFalse(roll(name, 4, false).updated());
        assertEquals(before + 1, migs.replacements());
    }

    @Test
    void aRegionalGroupSurgesByItsZoneCount() {
        String name = "projects/demo-project/regions/europe-west1/instanceGroupManagers/regional-" + ids.incrementAndGet();
        migs.put(name, InstanceGroupManager.newBuilder().setInstanceTemplate(TEMPLATE).setTargetSize(3)
                .setDistributionPolicy(DistributionPolicy.newBuilder()
                        .addZones(DistributionPolicyZoneConfiguration.newBuilder().setZone("zones/europe-west1-b"))
                        .addZones(DistributionPolicyZoneConfiguration.newBuilder().setZone("zones/europe-west1-c"))
                        .addZones(DistributionPolicyZoneConfiguration.newBuilder().setZone("zones/europe-west1-d")))
                .build());
        roll(name, 4, false);
        InstanceGroupManager igm = env.bean(RegionInstanceGroupManagersClient.class).get("demo-project", "europe-west1",
                name.substring(name.lastIndexOf('/') + 1));
        assertEquals(3, igm.getUpdatePolicy().getMaxSurge().getFixed());
        assertEquals(0, igm.getUpdatePolicy().getMaxUnavailable().getFixed());
    }

    @Test
    void aFailedOperationIsReportedAndNothingIsReplaced() {
        String name = group("zones/europe-west1-b", 2);
        migs.failOperation(name, "the instance template cannot be used");
        int before = migs.replacements();
        RemoteException e = assertThrows(RemoteException.class, () -> roll(name, 4, false));
        assertTrue(e.getMessage().contains("the rolling replace of " + name + " (its instances were not replaced) "
                + "failed: INVALID_ARGUMENT"), e.getMessage());
        assertEquals(before, migs.replacements());
    }

    @Test
    void instancesThatNeverBecomeHealthyTimeOut() {
        String name = group("zones/europe-west1-b", 2);
        migs.stallAfter(name, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> roll(name, 4, false));
        assertTrue(e.getMessage().contains("was not stable on the new version within PT30M"), e.getMessage());
    }

    @Test
    void aStalledReplaceTimesOutAndTheRetryDoesNotStartAnother() {
        String name = group("zones/europe-west1-b", 3);
        migs.replaceDelay(name, Duration.ofMinutes(1));
        migs.stallAfter(name, 1);
        assertThrows(IllegalStateException.class, () -> roll(name, 4, false));
        int replacements = migs.replacements();
        migs.stallAfter(name, null);
        assertFalse(roll(name, 4, false).updated(), "the retry waits for the replace already under way");
        assertEquals(replacements, migs.replacements());
    }

    @Test
    void permissionDeniedIsReported() {
        String name = group("zones/europe-west1-b", 2);
        migs.fail("patch", 403);
        try {
            RemoteException.PermissionDenied e = assertThrows(RemoteException.PermissionDenied.class,
                    () -> roll(name, 4, false));
            assertTrue(e.getMessage().contains("compute.instanceGroupManagers.update"), e.getMessage());
        } finally {
            migs.fail("patch", 0);
        }
    }

    @Test
    void aStatefulGroupIsRefusedUnlessTheDeclarationAllowsAnOutage() {
        String name = "projects/demo-project/zones/europe-west1-b/instanceGroupManagers/db-" + ids.incrementAndGet();
        migs.put(name, InstanceGroupManager.newBuilder().setInstanceTemplate(TEMPLATE).setTargetSize(1)
                .setStatefulPolicy(StatefulPolicy.newBuilder().setPreservedState(StatefulPolicyPreservedState
                        .newBuilder().putDisks("data", StatefulPolicyPreservedStateDiskDevice.newBuilder()
                                .setAutoDelete("NEVER").build()))).build());
        int before = migs.replacements();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> roll(name, 4, false));
        assertTrue(e.getMessage().contains("stateful"), e.getMessage());
        assertEquals(before, migs.replacements());
        assertTrue(roll(name, 4, true).updated());
    }

    @Test
    void aMissingGroupIsNotFound() {
        assertThrows(RemoteException.NotFound.class,
                () -> roll("projects/demo-project/zones/europe-west1-b/instanceGroupManagers/absent", 4, false));
    }
}
