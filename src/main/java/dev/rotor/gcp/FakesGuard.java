package dev.rotor.gcp;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Production never runs on fakes. Plaintext channels and {@code rotor.credentials=none} are refused at
 * startup unless every Google service is reached on this machine (loopback or the in-process emulator) and
 * Rotor is not on Cloud Run; the emulator itself refuses Cloud Run before it starts. Any other mix that
 * would point Rotor at something that is not Google (an endpoint outside {@code *.googleapis.com}, a
 * loopback endpoint on Cloud Run, some services on this machine and some on Google) fails readiness with
 * the setting to fix, and is logged once at startup. One wrong variable must stop Rotor, not let it report
 * ready while nothing rotates.
 */
@Context
public final class FakesGuard {
    private static final Logger LOG = LoggerFactory.getLogger(FakesGuard.class);

    private final Optional<String> problem;

    public FakesGuard(CloudRunEnvironment runtime, CredentialsProperties credentials, GcpSettings settings,
                      GcpChannels channels) {
        for (GcpService s : GcpService.values()) {
            if (settings.of(s).isPlaintext() && (runtime.onCloudRun() || !channels.loopback(s))) {
                throw new ConfigurationException("rotor.gcp." + s.configName() + ".plaintext=true is refused: "
                        + "plaintext is only for an emulator on this machine, and "
                        + runtime.evidence().map(e -> "Rotor runs on Cloud Run (" + e + ")")
                                .orElse("the endpoint " + settings.endpoint(s) + " is not a loopback address")
                        + "; remove the setting to reach Google over TLS");
            }
        }
        if (credentials.none()) {
            Optional<GcpService> remote = Arrays.stream(GcpService.values()).filter(s -> !channels.loopback(s))
                    .findFirst();
            if (runtime.onCloudRun() || remote.isPresent()) {
                throw new ConfigurationException("rotor.credentials=none is refused: calls without credentials "
                        + "are only for an emulator on this machine, and "
                        + runtime.evidence().map(e -> "Rotor runs on Cloud Run (" + e + ")")
                                .orElseGet(() -> "rotor.gcp." + remote.get().configName() + ".endpoint is "
                                        + settings.endpoint(remote.get()) + ", not a loopback address")
                        + "; use rotor.credentials=application-default");
            }
        }
        this.problem = mix(runtime, settings, channels);
        problem.ifPresent(p -> LOG.error("NOT READY: {}", p));
    }

    /** Empty when every Google service is Google (or, off Cloud Run, all of them are on this machine). */
    public Optional<String> problem() {
        return problem;
    }

    private static Optional<String> mix(CloudRunEnvironment runtime, GcpSettings settings, GcpChannels channels) {
        List<String> local = new ArrayList<>();
        List<String> google = new ArrayList<>();
        for (GcpService s : GcpService.values()) {
            String endpoint = settings.endpoint(s);
            String setting = "rotor.gcp." + s.configName() + ".endpoint";
            if (channels.loopback(s)) {
                if (runtime.onCloudRun()) {
                    return Optional.of(setting + " points at this machine on Cloud Run ("
                            + runtime.evidence().orElseThrow() + "): nothing there is Google");
                }
                local.add(s.configName());
            } else if (!Hosts.isGoogle(endpoint)) {
                return Optional.of(setting + "=" + endpoint + " is not a Google API endpoint (*.googleapis.com): "
                        + "Rotor would send its credentials and secrets elsewhere");
            } else {
                google.add(s.configName());
            }
        }
        if (!local.isEmpty() && !google.isEmpty()) {
            return Optional.of("rotor.gcp mixes services on this machine (" + String.join(", ", local)
                    + ") with services on Google (" + String.join(", ", google) + "): point every "
                    + "rotor.gcp.<service>.endpoint at the emulator, or none");
        }
        return Optional.empty();
    }
}
