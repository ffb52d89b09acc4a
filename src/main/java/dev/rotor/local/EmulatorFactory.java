package dev.rotor.local;

import dev.rotor.gcp.EndpointChannels;
import dev.rotor.gcp.GcpChannels;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * With {@code rotor.emulator.enabled=true} (local mode and tests) the emulator runs inside the process and
 * replaces the channel seam, so the production client factories talk to it unchanged.
 * {@code rotor.emulator.port} also serves it on loopback (0 picks a free port).
 */
@Factory
@Requires(property = "rotor.emulator.enabled", value = "true")
public class EmulatorFactory {
    @Singleton
    @Bean(preDestroy = "close")
    Emulator emulator(Clock clock, @Nullable @Property(name = "rotor.emulator.port") Integer port) {
        return port == null ? Emulator.inProcess(clock) : Emulator.withLoopback(clock, port);
    }

    @Singleton
    @Replaces(EndpointChannels.class)
    GcpChannels emulatorChannels(Emulator emulator) {
        return new EmulatorChannels(emulator);
    }
}
