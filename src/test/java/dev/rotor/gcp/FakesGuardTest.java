package dev.rotor.gcp;

import dev.rotor.api.Readiness;
import dev.rotor.local.EmulatedContext;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Production never runs on fakes (issue 18): each combination that would point Rotor at something that is
 * not Google is refused at startup or fails readiness, naming the setting; the combinations meant for
 * this machine (the embedded emulator, a loopback emulator without credentials) and production's own start.
 */
class FakesGuardTest {
    private static final Map<String, String> ON_CLOUD_RUN = Map.of("k.service", "rotor");
    private static final Map<String, String> ADC = Map.of("rotor.credentials", "application-default",
            FakeApplicationDefaultCredentials.PROPERTY, "true");

    static Stream<Arguments> refusedAtStartup() {
        return Stream.of(
                Arguments.of("the issue's operator: emulator and no credentials on Cloud Run",
                        with(ON_CLOUD_RUN, Map.of("rotor.emulator.enabled", "true", "rotor.credentials", "none")),
                        List.of("rotor.emulator.enabled=true is refused", "K_SERVICE=rotor")),
                Arguments.of("the emulator on Cloud Run, even with real credentials",
                        with(ON_CLOUD_RUN, ADC, Map.of("rotor.emulator.enabled", "true")),
                        List.of("rotor.emulator.enabled=true is refused")),
                Arguments.of("no credentials towards Google",
                        Map.of("rotor.credentials", "none"),
                        List.of("rotor.credentials=none is refused", "secretmanager.googleapis.com:443")),
                Arguments.of("no credentials on Cloud Run, every endpoint loopback",
                        with(ON_CLOUD_RUN, allLoopback(false), Map.of("rotor.credentials", "none")),
                        List.of("rotor.credentials=none is refused", "K_SERVICE=rotor")),
                Arguments.of("plaintext to a remote host",
                        with(ADC, Map.of("rotor.gcp.kms.endpoint", "kms.internal.example:443",
                                "rotor.gcp.kms.plaintext", "true")),
                        List.of("rotor.gcp.kms.plaintext=true is refused", "kms.internal.example:443")),
                Arguments.of("plaintext to loopback on Cloud Run",
                        with(ON_CLOUD_RUN, ADC, Map.of("rotor.gcp.secret-manager.endpoint", "127.0.0.1:9090",
                                "rotor.gcp.secret-manager.plaintext", "true")),
                        List.of("rotor.gcp.secret-manager.plaintext=true is refused", "K_SERVICE=rotor")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refusedAtStartup(String name, Map<String, Object> properties, List<String> expected) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> ApplicationContext.run(properties, "test"));
        String message = rootMessage(e);
        expected.forEach(part -> assertTrue(message.contains(part), name + ": " + message));
    }

    static Stream<Arguments> notReady() {
        return Stream.of(
                Arguments.of("an endpoint that is not Google's",
                        with(ADC, Map.of("rotor.gcp.secret-manager.endpoint", "secrets.example.com:443")),
                        "rotor.gcp.secret-manager.endpoint=secrets.example.com:443 is not a Google API endpoint"),
                Arguments.of("a loopback endpoint over TLS on Cloud Run",
                        with(ON_CLOUD_RUN, ADC, Map.of("rotor.gcp.iam-admin.endpoint", "localhost:8443")),
                        "rotor.gcp.iam-admin.endpoint points at this machine on Cloud Run"),
                Arguments.of("some services on this machine, the others on Google",
                        with(ADC, Map.of("rotor.gcp.secret-manager.endpoint", "[::1]:9090")),
                        "rotor.gcp mixes services on this machine (secret-manager) with services on Google"),
                Arguments.of("token keys from somewhere else on Cloud Run",
                        with(ON_CLOUD_RUN, ADC, Map.of("rotor.auth.jwks-uri", "http://127.0.0.1:1/jwks")),
                        "rotor.auth.jwks-uri=http://127.0.0.1:1/jwks is not Google's"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void notReady(String name, Map<String, Object> properties, String expected) {
        try (ApplicationContext ctx = ApplicationContext.run(properties, "test")) {
            Optional<String> problem = ctx.getBean(Readiness.class).problem();
            assertTrue(problem.orElse("").contains(expected), name + ": " + problem);
        }
    }

    static Stream<Arguments> allowed() {
        return Stream.of(
                Arguments.of("production: Cloud Run, Google's endpoints, application default credentials",
                        with(ON_CLOUD_RUN, ADC)),
                Arguments.of("production through regional and Private Service Connect endpoints",
                        with(ON_CLOUD_RUN, ADC, Map.of(
                                "rotor.gcp.secret-manager.endpoint", "secretmanager.europe-west1.rep.googleapis.com:443",
                                "rotor.gcp.kms.endpoint", "cloudkms-rotor.p.googleapis.com:443"))),
                Arguments.of("a loopback emulator, plaintext, no credentials, off Cloud Run",
                        with(allLoopback(true), Map.of("rotor.credentials", "none"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void allowed(String name, Map<String, Object> properties) {
        try (ApplicationContext ctx = ApplicationContext.run(properties, "test")) {
            assertEquals(Optional.empty(), ctx.getBean(FakesGuard.class).problem(), name);
            assertEquals(Optional.empty(), ctx.getBean(Readiness.class).problem(), name);
        }
    }

    @Test
    void theEmbeddedEmulatorOffCloudRunIsReady() {
        try (EmulatedContext env = new EmulatedContext()) {
            assertEquals(Optional.empty(), env.context.getBean(Readiness.class).problem());
        }
    }

    /** Every service on loopback, as a standalone emulator serves them. */
    private static Map<String, String> allLoopback(boolean plaintext) {
        Map<String, String> p = new HashMap<>();
        for (GcpService s : GcpService.values()) {
            p.put("rotor.gcp." + s.configName() + ".endpoint", "127.0.0.1:" + (9000 + s.ordinal()));
            p.put("rotor.gcp." + s.configName() + ".plaintext", String.valueOf(plaintext));
        }
        return p;
    }

    @SafeVarargs
    private static Map<String, Object> with(Map<String, String>... parts) {
        Map<String, Object> all = new HashMap<>();
        for (Map<String, String> part : parts) {
            all.putAll(part);
        }
        return all;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
