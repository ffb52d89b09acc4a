package dev.rotor.local;

import dev.rotor.gcp.CloudRunEnvironment;
import dev.rotor.gcp.EndpointChannels;
import dev.rotor.gcp.GcpChannels;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * With {@code rotor.emulator.enabled=true} (local mode and tests) the emulator runs inside the process and
 * replaces the channel seam, so the production client factories talk to it unchanged. It refuses to start
 * on Cloud Run, before opening any port: there every call must reach Google.
 * {@code rotor.emulator.port} also serves it on loopback (0 picks a free port); {@link EmulatorProperties}
 * sets latency, faults, quotas and delays.
 */
@Factory
@Requires(property = "rotor.emulator.enabled", value = "true")
public class EmulatorFactory {
    @Singleton
    @Bean(preDestroy = "close")
    Emulator emulator(Clock clock, EmulatorProperties p, CloudRunEnvironment runtime) {
        runtime.evidence().ifPresent(evidence -> {
            throw new ConfigurationException("rotor.emulator.enabled=true is refused: the emulator fakes Google's "
                    + "APIs in-process and must never run on Cloud Run (" + evidence + "); remove 'local' from "
                    + "MICRONAUT_ENVIRONMENTS and unset ROTOR_EMULATOR_ENABLED");
        });
        Emulator e = p.port() == null ? Emulator.inProcess(clock) : Emulator.withLoopback(clock, p.port());
        try {
            e.faults().latency("*", p.latency());
            p.faults().stream().filter(spec -> !spec.isBlank())
                    .forEach(spec -> dev.rotor.local.faults.FaultSpec.apply(spec, e.faults()));
            e.quotas().enabled(p.quotasEnabled());
            for (String limit : p.quotaLimits()) {
                if (!limit.isBlank()) {
                    String[] kv = limit.split("=", 2);
                    if (kv.length != 2 || !kv[1].trim().matches("\\d+")) {
                        throw new IllegalArgumentException("rotor.emulator.quota-limits: \"" + limit
                                + "\" is not category=limit, e.g. secretmanager.write=600");
                    }
                    e.quotas().limit(kv[0].trim(), Integer.parseInt(kv[1].trim()));
                }
            }
            e.iam().keyPropagation(p.keyPropagation());
            e.cloudRun().readyDelay(p.revisionReadyDelay());
            e.secretManager().listLag(p.listLag());
            e.iam().listLag(p.listLag());
            e.iam().keyExpiry(p.keyExpiryHours() == null ? null : java.time.Duration.ofHours(p.keyExpiryHours()));
            e.quotas().perResource(p.perSecretWriteLimits());
            return e;
        } catch (RuntimeException bad) {
            e.close();
            throw bad;
        }
    }

    @Singleton
    @Replaces(EndpointChannels.class)
    GcpChannels emulatorChannels(Emulator emulator) {
        return new EmulatorChannels(emulator);
    }
}
