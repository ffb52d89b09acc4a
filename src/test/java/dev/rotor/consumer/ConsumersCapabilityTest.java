package dev.rotor.consumer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A target no restarter of the build handles is reported before anything is minted. */
class ConsumersCapabilityTest {
    private static final Restarter RUN_ONLY = new Restarter() {
        @Override
        public boolean handles(String target) {
            return target.startsWith("run:");
        }

        @Override
        public Rolled roll(Roll roll) {
            throw new AssertionError("not rolled in this test");
        }
    };

    @Test
    void aTargetWithoutARestarterIsNamed() {
        Consumers consumers = new Consumers(List.of(RUN_ONLY));
        String gke = "gke:projects/p/locations/l/clusters/c/namespaces/n/deployments/d";
        assertEquals(Optional.of("rotor.consumers: no restarter for gke targets in this build (" + gke + ")"),
                consumers.unsupported(List.of("run:projects/p/locations/l/services/s", gke)));
        assertEquals(Optional.empty(), consumers.unsupported(List.of("run:projects/p/locations/l/services/s")));
    }
}
