package dev.rotor.local;

import com.google.api.gax.rpc.ResourceExhaustedException;
import com.google.api.gax.rpc.UnavailableException;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Faults and quotas set from configuration reach the official client as the right status. */
class EmulatorConfigurationTest {
    private static Secret secret() {
        return Secret.newBuilder().setReplication(Replication.newBuilder()
                .setAutomatic(Replication.Automatic.getDefaultInstance())).build();
    }

    @Test
    void configuredFaultsAndQuotasApply() {
        try (EmulatedContext env = new EmulatedContext(Map.of(
                "rotor.emulator.faults", "CreateSecret=UNAVAILABLE*1",
                "rotor.emulator.quota-limits", "secretmanager.write=2"))) {
            SecretManagerServiceClient sm = env.bean(SecretManagerServiceClient.class);
            assertThrows(UnavailableException.class, () -> sm.createSecret("projects/demo-project", "a", secret()));
            sm.createSecret("projects/demo-project", "a", secret());
            assertThrows(ResourceExhaustedException.class, () -> sm.createSecret("projects/demo-project", "b", secret()));
        }
    }

    @Test
    void aMalformedFaultIsRefusedAtStartup() {
        assertThrows(RuntimeException.class, () -> new EmulatedContext(Map.of("rotor.emulator.faults", "nonsense")));
    }
}
