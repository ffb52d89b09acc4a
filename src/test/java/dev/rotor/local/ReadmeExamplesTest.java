package dev.rotor.local;

import dev.rotor.testing.Command;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the README's example block, as written, against a local-mode Rotor (only the port differs). */
class ReadmeExamplesTest {
    /**
     * Local mode runs a pass as it starts; it rolls the database password's three consumers. The README's
     * calls come after it, as a user's would: wait (for a background thread, not for time) until it let go.
     */
    private static void awaitStartupPass(EmbeddedServer server) throws InterruptedException {
        var secrets = server.getApplicationContext().getBean(
                com.google.cloud.secretmanager.v1.SecretManagerServiceClient.class);
        for (int i = 0; i < 600; i++) {
            var state = dev.rotor.rotation.StateCodec.read(
                    secrets.getSecret("projects/demo-project/secrets/demo-db-password").getAnnotationsMap());
            if (state.current() != null && state.phase() == dev.rotor.policy.RotationState.Phase.IDLE) {
                return;
            }
            Thread.sleep(100);
        }
    }

    @Test
    void theReadmeExamplesWorkAsWritten() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int marker = readme.indexOf("<!-- readme-example -->");
        assertTrue(marker > 0, "README has no example block");
        int start = readme.indexOf("```sh\n", marker) + 6;
        String script = readme.substring(start, readme.indexOf("```", start));
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("micronaut.server.port", -1, "rotor.local.run-every", "1h"), "local")) {
            awaitStartupPass(server);
            // URLs move to the test's port; the token audience stays the README's http://localhost:8080
            String adapted = script.replace("localhost:8080/", "localhost:" + server.getPort() + "/");
            Command.Result bash = Command.run(new ProcessBuilder("bash", "-euo", "pipefail", "-c", adapted),
                    Duration.ofSeconds(60));
            String out = bash.out();
            assertEquals(0, bash.exit(), out + bash.err());
            assertTrue(out.contains("\"outcome\":\"rotated\""), out);
            assertTrue(out.contains("\"reason\":\"trying Rotor\""), out);
            for (String kind : new String[]{"run", "gke", "mig"}) {
                assertTrue(out.matches("(?s).*\"target\":\"" + kind + ":[^\"]*\",\"outcome\":\"rolled\".*"),
                        kind + " consumer not rolled: " + out);
            }
        }
    }
}
