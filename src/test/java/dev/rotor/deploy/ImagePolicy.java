package dev.rotor.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 14's image and build contract as checks over the text of the {@code Dockerfile}, {@code cloudbuild.yaml}
 * and the Cloud Run service's startup probe: what a real build or start would only show on Google.
 */
record ImagePolicy(String dockerfile, String cloudbuild, String service) {
    private static final Pattern STAGE = Pattern.compile("(?m)^FROM ");
    private static final Pattern PROBE = Pattern.compile("startup_probe\\s*\\{(.*?)\\n      }", Pattern.DOTALL);

    /**
     * The JVM maps an AOT cache only when its class path and options match the training run's, so both stages
     * run the same jar path with the same options; the image holds the tested jar, never a rebuilt one, and runs
     * as the distroless nonroot user.
     */
    List<String> aotCacheMatchesTheRun() {
        List<String> v = new ArrayList<>();
        String[] stages = STAGE.split(dockerfile);
        if (stages.length != 3) {
            v.add("the Dockerfile should have two stages (train, run), found " + (stages.length - 1));
            return v;
        }
        String train = stages[1];
        String run = stages[2];
        if (!train.contains("\"-XX:AOTCacheOutput=/app/rotor.aot\", \"-cp\", \"/app/rotor.jar\", \"dev.rotor.AotTraining\"")) {
            v.add("the training stage does not run dev.rotor.AotTraining on /app/rotor.jar into /app/rotor.aot");
        }
        if (!run.contains("\"-XX:AOTCache=/app/rotor.aot\", \"-jar\", \"/app/rotor.jar\"")) {
            v.add("the entrypoint does not start /app/rotor.jar with -XX:AOTCache=/app/rotor.aot");
        }
        for (String stage : List.of(train, run)) {
            if (!stage.contains("ENV JAVA_TOOL_OPTIONS=${JVM_OPTIONS}")) {
                v.add("a stage does not set JAVA_TOOL_OPTIONS=${JVM_OPTIONS}: training and run options would differ");
            }
        }
        if (!train.contains("COPY target/image/rotor.jar /app/rotor.jar") 
                || dockerfile.lines().anyMatch(l -> l.startsWith("RUN") && l.contains("mvn"))) {
            v.add("the image must copy the tested jar (target/image/rotor.jar), never build one");
        }
        if (!run.contains("USER 65532:65532") || run.contains("\nRUN ")) {
            v.add("the final stage must run as 65532:65532 and run nothing at build time (it has no shell)");
        }
        return v;
    }

    /** The first build works outside a trigger, tests once, and only updates the service, by digest. */
    List<String> buildDeploysTheTestedDigest() {
        List<String> v = new ArrayList<>();
        String steps = cloudbuild.lines().filter(l -> !l.stripLeading().startsWith("#")).reduce("", (a, b) -> a + b + "\n");
        if (steps.contains("SHORT_SHA")) {
            v.add("cloudbuild.yaml uses $SHORT_SHA, empty outside triggers");
        }
        if (Pattern.compile("(?m)^serviceAccount: \\S+").matcher(steps).results().count() != 1) {
            v.add("cloudbuild.yaml names no serviceAccount: the build would run as the default account");
        }
        if (steps.split("mvnw", -1).length != 2) {
            v.add("cloudbuild.yaml should run ./mvnw exactly once: the image holds the jar that was tested");
        }
        if (steps.contains("run deploy") || !steps.contains("gcloud run services update")
                || !steps.contains("--image \"$${image}@$${digest}\"")) {
            v.add("the deploy step must update the service Terraform made, by digest, never create one");
        }
        return v;
    }

    /** Cloud Run serves a new instance only after a probe passes: the period rounds every cold start up. */
    List<String> startupProbeFollowsReadiness() {
        List<String> v = new ArrayList<>();
        Matcher m = PROBE.matcher(service);
        if (!m.find()) {
            return List.of("the Cloud Run service has no startup probe");
        }
        String probe = m.group(1);
        if (!probe.contains("path = \"/health/readiness\"")) {
            v.add("the startup probe does not ask /health/readiness");
        }
        int period = number(probe, "period_seconds");
        int timeout = number(probe, "timeout_seconds");
        int failures = number(probe, "failure_threshold");
        if (period != 1) {
            v.add("startup probe period_seconds " + period + ": every cold start waits for the next probe; use 1");
        }
        if (timeout > period) {
            v.add("startup probe timeout_seconds " + timeout + " exceeds its period (Cloud Run refuses it)");
        }
        if (period * failures < 60 || period * failures > 240) {
            v.add("startup probe allows " + period * failures + " s to start: keep 60 to 240 s");
        }
        return v;
    }

    private static int number(String block, String attribute) {
        Matcher m = Pattern.compile(attribute + "\\s*=\\s*(\\d+)").matcher(block);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    List<String> all() {
        List<String> v = new ArrayList<>(aotCacheMatchesTheRun());
        v.addAll(buildDeploysTheTestedDigest());
        v.addAll(startupProbeFollowsReadiness());
        return v;
    }
}
