package dev.rotor.rotation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Real processes for end-to-end tests: the standalone emulator ({@code EmulatorMain}) and Rotor in cloud mode
 * pointed at it, each a JVM of its own on this test's classpath.
 */
final class Processes {
    static final String[] SERVICES = {"secret-manager", "kms", "iam-credentials", "iam-admin", "cloud-run"};

    private Processes() {
    }

    /** A started standalone emulator and the addresses it printed. */
    record StandaloneEmulator(Process process, String grpc, String http) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static StandaloneEmulator emulator(Path log) throws IOException {
        Process p = java("dev.rotor.local.EmulatorMain", List.of(), List.of("--port", "0")).redirectError(log.toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String first = line.orTimeout(60, TimeUnit.SECONDS).exceptionally(e -> null).join();
        if (first == null || !first.startsWith("rotor-emulator ")) {
            p.destroyForcibly();
            throw new IllegalStateException("the standalone emulator did not start: " + first);
        }
        Map<String, String> fields = new HashMap<>();
        for (String kv : first.substring("rotor-emulator ".length()).split(" ")) {
            String[] parts = kv.split("=", 2);
            fields.put(parts[0], parts[1]);
        }
        return new StandaloneEmulator(p, fields.get("grpc"), fields.get("http"));
    }

    /** Rotor in cloud mode against {@code emulator}, on {@code port}, with {@code extra} settings. */
    static Process rotor(StandaloneEmulator emulator, int port, Map<String, String> extra, Path log) throws IOException {
        List<String> props = new ArrayList<>(List.of("-Dmicronaut.server.port=" + port, "-Drotor.credentials=none",
                "-Drotor.auth.jwks-uri=" + emulator.http() + "emulator/jwks",
                "-Drotor.auth.audiences=http://localhost:" + port));
        for (String service : SERVICES) {
            props.add("-Drotor.gcp." + service + ".endpoint=" + emulator.grpc());
            props.add("-Drotor.gcp." + service + ".plaintext=true");
        }
        extra.forEach((k, v) -> props.add("-D" + k + "=" + v));
        return java("dev.rotor.Application", props, List.of()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static ProcessBuilder java(String main, List<String> props, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(props);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main);
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("NO_GCE_CHECK", "true");
        pb.environment().remove("GOOGLE_APPLICATION_CREDENTIALS");
        pb.environment().remove("MICRONAUT_ENVIRONMENTS");
        return pb;
    }
}
