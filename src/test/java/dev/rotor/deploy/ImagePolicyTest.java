package dev.rotor.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image and build contract of issue 14 ({@link ImagePolicy}): the tree passes, and each tweak that brings
 * a failure back is caught.
 */
class ImagePolicyTest {
    private final ImagePolicy real;

    ImagePolicyTest() throws IOException {
        real = new ImagePolicy(Files.readString(Path.of("Dockerfile")), Files.readString(Path.of("cloudbuild.yaml")),
                Files.readString(Path.of("terraform/modules/rotor-service/main.tf")));
    }

    @Test
    void theTreeKeepsTheContract() {
        assertEquals(List.of(), real.all());
    }

    @Test
    void aCacheThatWouldNotMapIsCaught() {
        caught(ImagePolicy::aotCacheMatchesTheRun, new ImagePolicy(real.dockerfile()
                        .replace("\"-cp\", \"/app/rotor.jar\"", "\"-cp\", \"/train/rotor.jar\"")
                        .replaceFirst("ENV JAVA_TOOL_OPTIONS=\\$\\{JVM_OPTIONS}", "ENV JAVA_TOOL_OPTIONS=-Xmx1g")
                        .replace("USER 65532:65532", "USER 0")
                        .replace("COPY target/image/rotor.jar /app/rotor.jar", "RUN [\"./mvnw\", \"package\"]"),
                        real.cloudbuild(), real.service()),
                "does not run dev.rotor.AotTraining", "training and run options would differ", "must run as 65532",
                "never build one");
    }

    @Test
    void aBuildThatFailsOutsideTriggersOrDeploysAnotherJarIsCaught() {
        caught(ImagePolicy::buildDeploysTheTestedDigest, new ImagePolicy(real.dockerfile(), real.cloudbuild()
                        .replace("rotor:$BUILD_ID", "rotor:$SHORT_SHA")
                        .replace("gcloud run services update \"${_SERVICE}\"", "gcloud run deploy \"${_SERVICE}\"")
                        .replaceFirst("(?m)^serviceAccount: .*$", ""), real.service()),
                "$SHORT_SHA, empty outside triggers", "names no serviceAccount", "never create one");
    }

    @Test
    void aSlowStartupProbeIsCaught() {
        caught(ImagePolicy::startupProbeFollowsReadiness, new ImagePolicy(real.dockerfile(), real.cloudbuild(),
                        real.service().replace("period_seconds        = 1", "period_seconds        = 2")),
                "period_seconds 2: every cold start waits for the next probe");
        caught(ImagePolicy::startupProbeFollowsReadiness, new ImagePolicy(real.dockerfile(), real.cloudbuild(),
                        real.service().replace("timeout_seconds       = 1", "timeout_seconds       = 2")),
                "timeout_seconds 2 exceeds its period");
        caught(ImagePolicy::startupProbeFollowsReadiness, new ImagePolicy(real.dockerfile(), real.cloudbuild(),
                        real.service().replace("failure_threshold     = 60", "failure_threshold     = 30")),
                "allows 30 s to start");
    }

    private void caught(Function<ImagePolicy, List<String>> check, ImagePolicy tweaked, String... expected) {
        assertEquals(List.of(), check.apply(real), "the real tree passes");
        String found = String.join("\n", check.apply(tweaked));
        for (String e : expected) {
            assertTrue(found.contains(e), "missed: " + e + "\n" + found);
        }
    }
}
