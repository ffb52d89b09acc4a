package dev.rotor.local;

import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import dev.rotor.rotation.ManualRotation;
import dev.rotor.rotation.RunService;
import dev.rotor.secret.SecretRef;
import dev.rotor.testing.Command;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real gcloud (REST only) reads a rotating secret from local mode through the emulator's Secret Manager REST
 * surface, with {@code CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER} and any access token. Skipped, saying so,
 * where gcloud is not installed.
 */
class GcloudTest {
    private static final SecretRef DB = new SecretRef(DemoSeed.PROJECT, "demo-db-password");

    @TempDir
    Path config;

    @Test
    void gcloudListsDescribesAndReadsTheCurrentVersionAsItRotates() throws Exception {
        Assumptions.assumeTrue(gcloudInstalled(), "gcloud is not installed here: the gcloud test is skipped");
        try (ApplicationContext ctx = ApplicationContext.run(Map.of("micronaut.server.port", -1,
                "rotor.local.run-every", "1h", "rotor.emulator.revision-ready-delay", "0s"), "local")) {
            Emulator emulator = ctx.getBean(Emulator.class);
            String url = emulator.httpUrl().orElseThrow();
            String number = emulator.projects().number(DemoSeed.PROJECT);
            ctx.getBean(RunService.class).run(new RunService.RunRequest("gcloud-1", Set.of(), false));
            SecretManagerServiceClient sm = ctx.getBean(SecretManagerServiceClient.class);

            assertTrue(gcloud(url, "secrets", "list", "--format=value(name)").contains("demo-db-password"));
            assertTrue(gcloud(url, "secrets", "describe", "demo-db-password", "--format=value(name)")
                    .contains("projects/" + number + "/secrets/demo-db-password"));
            String first = gcloud(url, "secrets", "versions", "access", "current", "--secret", "demo-db-password");
            assertEquals(current(sm), first);

            ctx.getBean(ManualRotation.class).rotate(DB, "gcloud-test", "the test rotates it", false);
            String second = gcloud(url, "secrets", "versions", "access", "current", "--secret", "demo-db-password");
            assertNotEquals(first, second);
            assertEquals(current(sm), second);
            assertEquals(List.of("2", "1"), List.of(gcloud(url, "secrets", "versions", "list", "demo-db-password",
                    "--format=value(name)").trim().split("\\s+")));
        }
    }

    private static String current(SecretManagerServiceClient sm) {
        return sm.accessSecretVersion(DB.name() + "/versions/current").getPayload().getData().toStringUtf8();
    }

    private static boolean gcloudInstalled() {
        try {
            return new ProcessBuilder("gcloud", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private String gcloud(String url, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("gcloud");
        pb.command().addAll(List.of(args));
        Map<String, String> env = pb.environment();
        env.put("CLOUDSDK_CONFIG", config.toString());
        env.put("CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER", url);
        env.put("CLOUDSDK_AUTH_ACCESS_TOKEN", "any-token-works-locally");
        env.put("CLOUDSDK_CORE_PROJECT", DemoSeed.PROJECT);
        env.put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
        env.put("CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true");
        env.put("CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK", "true");
        Command.Result r = Command.run(pb, Duration.ofSeconds(60));
        assertEquals(0, r.exit(), "gcloud " + String.join(" ", args) + ": " + r.err());
        return r.out();
    }
}
