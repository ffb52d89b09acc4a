package dev.rotor.rotation;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.SecretVolumeSource;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.VersionToPath;
import com.google.cloud.run.v2.Volume;
import com.google.cloud.run.v2.VolumeMount;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.local.faults.Faults;
import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The night batch Rotor exists for (issue 11): a token secret whose consumer can never roll, run every five
 * minutes (the Terraform's token schedule) for 24 emulated hours. After every run, {@code current} must hold a
 * token that has not expired, read through the real client and judged by the token's own {@code exp}.
 */
class NightBatchTest {
    private static final Duration EVERY = Duration.ofMinutes(5);
    private static final String SA = "app@demo-project.iam.gserviceaccount.com";
    private static final String SERVICE = "run:" + ConsumersTest.PARENT + "/services/api";
    private static final Duration ROLL_TIMEOUT = Duration.ofMinutes(2);

    /** Ways a consumer fails to roll; the engine must treat them all alike. */
    enum Failure {
        PINNED_TRAFFIC, PERMISSION_DENIED, VOLUME_PIN, GKE_TARGET, MIG_TARGET, TIMEOUT;

        String setUp(Engine engine) {
            switch (this) {
                case PINNED_TRAFFIC -> ConsumersTest.service(engine, "api", "1", true);
                case PERMISSION_DENIED -> {
                    // Rotor lacks actAs on the service's runtime account: Cloud Run refuses every update
                    ConsumersTest.service(engine, "api", "latest", false);
                    engine.env.emulator.faults().fail("UpdateService", Status.Code.PERMISSION_DENIED,
                            Faults.When.BEFORE, Integer.MAX_VALUE);
                }
                case VOLUME_PIN -> engine.env.emulator.cloudRun().create(ConsumersTest.PARENT, "api", Service.newBuilder()
                        .setTemplate(RevisionTemplate.newBuilder()
                                .addVolumes(Volume.newBuilder().setName("tok").setSecret(SecretVolumeSource.newBuilder()
                                        .setSecret("tok").addItems(VersionToPath.newBuilder().setVersion("1").setPath("t"))))
                                .addContainers(Container.newBuilder().setImage("europe-docker.pkg.dev/demo-project/app/api:1")
                                        .addVolumeMounts(VolumeMount.newBuilder().setName("tok").setMountPath("/secrets"))))
                        .build());
                case GKE_TARGET -> {
                    return "gke:projects/demo-project/locations/europe-west1/clusters/c/namespaces/default/deployments/api";
                }
                case MIG_TARGET -> {
                    return "mig:projects/demo-project/zones/europe-west1-b/instanceGroupManagers/batch";
                }
                case TIMEOUT -> {
                    ConsumersTest.service(engine, "api", "latest", false);
                    engine.env.emulator.cloudRun().readyDelay(Duration.ofDays(365)); // the revision never gets ready
                }
            }
            return SERVICE;
        }
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void currentAlwaysHoldsAnUnexpiredTokenThroughTheNight(Failure failure) throws Exception {
        try (Engine engine = new Engine(Map.of("rotor.roll.check-every", "2ms",
                "rotor.roll.timeout", ROLL_TIMEOUT.toString()))) {
            engine.account("app");
            String target = failure.setUp(engine);
            engine.declare("tok", Map.of("rotor.kind", "id-token", "rotor.service-account", SA,
                    "rotor.audience", "https://batch.example", "rotor.consumers", target));
            AtomicBoolean running = new AtomicBoolean(true);
            Thread stuckRolls = failure == Failure.TIMEOUT ? Thread.ofVirtual().start(() -> endEachRoll(engine, running))
                    : null;
            Instant end = engine.env.clock.instant().plus(Duration.ofHours(24));
            int runs = 0;
            try {
                while (engine.env.clock.instant().isBefore(end)) {
                    RunReport r = engine.run();
                    runs++;
                    Instant now = engine.env.clock.instant();
                    Instant exp = SignedJWT.parse(engine.access("tok", "current")).getJWTClaimsSet()
                            .getExpirationTime().toInstant();
                    assertTrue(exp.isAfter(now), failure + ": after run " + runs + " at " + now + " current expired at "
                            + exp + "; " + r);
                    assertEquals(engine.state("tok").current(), engine.aliases("tok").get("current"));
                    engine.env.clock.advance(EVERY);
                }
            } finally {
                running.set(false);
                if (stuckRolls != null) {
                    stuckRolls.join();
                }
            }
            long versions = engine.versions("tok").size();
            assertTrue(versions >= 24, failure + ": a fresh token at least hourly, got " + versions + " versions");
            long enabled = engine.versions("tok").stream()
                    .filter(v -> v.getState() == com.google.cloud.secretmanager.v1.SecretVersion.State.ENABLED).count();
            assertTrue(enabled <= 3, failure + ": old versions still retire (held, previous, current), " + enabled);
        }
    }

    /** Plays the passing of time while a roll waits for a revision that never gets ready. */
    private static void endEachRoll(Engine engine, AtomicBoolean running) {
        long seen = 0;
        while (running.get()) {
            long calls = engine.env.emulator.faults().calls("UpdateService");
            if (calls > seen) {
                seen = calls;
                engine.env.clock.advance(ROLL_TIMEOUT.plusSeconds(1));
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
