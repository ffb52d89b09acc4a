package dev.rotor.local;

import dev.rotor.consumer.gke.GkeFixtures;
import dev.rotor.testing.Command;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real kubectl against the emulated cluster, to show it behaves like a cluster where Rotor depends on it:
 * {@code kubectl rollout restart} changes the pod template as Rotor's restart does, and
 * {@code kubectl rollout status} judges the rollout complete. Skipped where kubectl is not installed.
 */
class KubectlAgainstTheEmulatorTest {
    private static final String CLUSTER = "projects/demo-project/locations/europe-west1/clusters/kubectl";

    @Test
    void kubectlRestartsAndAwaitsADeployment() throws Exception {
        Path kubectl = List.of("/usr/bin/kubectl", "/usr/local/bin/kubectl", "/usr/lib/google-cloud-sdk/bin/kubectl")
                .stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed here");
        try (Emulator emulator = Emulator.inProcess(new MutableClock(EmulatedContext.START))) {
            emulator.gke().create(CLUSTER);
            emulator.kube().put(CLUSTER, GkeFixtures.deployment("api", 2));
            Path config = Files.createTempFile("kubeconfig", ".yaml");
            Files.writeString(config, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: emulated
                      cluster:
                        server: https://%s
                        certificate-authority-data: %s
                    users:
                    - name: rotor
                      user:
                        token: any-google-token
                    contexts:
                    - name: emulated
                      context: {cluster: emulated, user: rotor, namespace: default}
                    current-context: emulated
                    """.formatted(emulator.kubeApi().endpoint(CLUSTER), emulator.kubeApi().caBase64Pem()));
            try {
                assertEquals("deployment.apps/api restarted", run(kubectl, config, "rollout", "restart", "deployment/api"));
                assertTrue(emulator.kube().get(CLUSTER, "default", "api").getSpec().getTemplate().getMetadata()
                        .getAnnotations().containsKey("kubectl.kubernetes.io/restartedAt"));
                assertEquals(1, emulator.kube().restarts());
                assertTrue(run(kubectl, config, "rollout", "status", "deployment/api", "--timeout=30s")
                        .contains("successfully rolled out"));
            } finally {
                Files.deleteIfExists(config);
            }
        }
    }

    private static String run(Path kubectl, Path config, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", config.toString()));
        command.addAll(List.of(args));
        Command.Result r = Command.run(new ProcessBuilder(command), Duration.ofSeconds(60));
        assertEquals(0, r.exit(), r.out() + r.err());
        return r.out().trim();
    }
}
