package dev.rotor.rotation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.rotor.local.faults.Faults;
import dev.rotor.logging.CloudLoggingLayout;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.grpc.Status;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Payloads never reach logs (their structured fields too), run reports, metrics or error messages, on success or
 * on any failure path.
 */
class CanaryTest {
    static final CloudLoggingLayout JSON = new CloudLoggingLayout();
    /** Keys and tokens too: rotate them through failures, then look for their secret parts everywhere. */
    private static void assertNoLeak(Engine e, StringBuilder seen, ListAppender<ILoggingEvent> logs) throws Exception {
        String sa = e.account("app");
        e.declare("key", Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa,
                "rotor.rotate-every", "P1D", "rotor.keep-enabled", "1", "rotor.grace", "PT0S"));
        e.declare("tok", Map.of("rotor.kind", "access-token", "rotor.service-account", sa));
        e.declare("idt", Map.of("rotor.kind", "id-token", "rotor.service-account", sa, "rotor.audience", "https://x.example"));
        List<String> secrets = new ArrayList<>();
        List<RunReport> reports = new ArrayList<>();
        // also the probe by number, the lost-create clean-up, the key record and a quota refusal
        for (String rpc : List.of("AddSecretVersion", "AccessSecretVersion", "UpdateSecret", "CreateServiceAccountKey",
                "GetSecretVersion", "ListServiceAccountKeys", "UpdateSecret=RESOURCE_EXHAUSTED")) {
            e.env.clock.advance(Duration.ofDays(2));
            if (rpc.endsWith("=RESOURCE_EXHAUSTED")) {
                e.env.emulator.faults().fail(rpc.substring(0, rpc.indexOf('=')), Status.Code.RESOURCE_EXHAUSTED,
                        Faults.When.BEFORE, 99);
            } else {
                e.env.emulator.faults().fail(rpc, Status.Code.UNAVAILABLE, Faults.When.AFTER, 1);
            }
            reports.add(e.run());
            e.env.emulator.faults().clear();
            e.env.clock.advance(Duration.ofMinutes(11));
            reports.add(e.run());
            for (String id : List.of("key", "tok", "idt")) {
                String payload = e.access(id, "current");
                secrets.add(id.equals("key") ? privateKeyPart(payload) : payload.substring(payload.length() - 40));
            }
        }
        logs.list.forEach(l -> seen.append(l.getFormattedMessage()).append('\n').append(JSON.doLayout(l))
                .append(l.getThrowableProxy() == null ? "" : l.getThrowableProxy().getMessage()).append('\n'));
        for (RunReport r : reports) {
            seen.append(ObjectMapper.getDefault().writeValueAsString(r)).append('\n');
        }
        seen.append(e.env.bean(PrometheusMeterRegistry.class).scrape()); // every meter, as /metrics shows them
        for (String id : List.of("key", "tok", "idt")) { // the state and its fence and key-id aliases
            seen.append(e.client.getSecret(Engine.name(id)).getAnnotationsMap())
                    .append(e.client.getSecret(Engine.name(id)).getVersionAliasesMap()).append('\n');
        }
        assertTrue(reports.stream().anyMatch(r -> r.summary().failed() > 0), "failure paths were exercised");
        for (String secret : secrets) {
            assertFalse(seen.toString().contains(secret), "a key or token leaked: " + secret.substring(0, 4) + "...");
        }
    }

    /** A stretch of the base64 private key inside a JSON key file. */
    @SuppressWarnings("unchecked")
    private static String privateKeyPart(String json) throws Exception {
        String pem = (String) ObjectMapper.getDefault().readValue(json, Map.class).get("private_key");
        return pem.lines().skip(3).findFirst().orElseThrow();
    }

    @Test
    void payloadsNeverAppearInLogsReportsOrErrors() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        Level level = root.getLevel();
        root.setLevel(Level.DEBUG);
        try (Engine e = new Engine()) {
            String cluster = "projects/demo-project/locations/europe-west1/clusters/c";
            String mig = "projects/demo-project/zones/europe-west1-b/instanceGroupManagers/workers";
            e.env.emulator.gke().create(cluster);
            e.env.emulator.kube().put(cluster, dev.rotor.consumer.gke.GkeFixtures.deployment("api", 2));
            e.env.emulator.kube().putBudget(cluster, dev.rotor.consumer.gke.GkeFixtures.budget("api", 1));
            e.env.emulator.migs().put(mig, com.google.cloud.compute.v1.InstanceGroupManager.newBuilder()
                    .setInstanceTemplate("projects/demo-project/global/instanceTemplates/t").setTargetSize(2).build());
            e.declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.keep-enabled", "1",
                    "rotor.grace", "PT0S", "rotor.consumers", "gke:" + cluster + "/namespaces/default/deployments/api,mig:"
                            + mig));
            List<RunReport> reports = new ArrayList<>();
            reports.add(e.run());
            List<String> payloads = new ArrayList<>(List.of(e.access("db", "1")));
            // every failure path once: ambiguous add, failed read-back, failed commit, failed retirement
            for (String rpc : List.of("AddSecretVersion", "AccessSecretVersion", "UpdateSecret", "DisableSecretVersion")) {
                e.env.clock.advance(Duration.ofDays(2));
                e.env.emulator.faults().fail(rpc, Status.Code.UNAVAILABLE, Faults.When.AFTER, 1);
                reports.add(e.run());
                e.env.emulator.faults().clear();
                e.env.clock.advance(Duration.ofMinutes(11));
                reports.add(e.run());
                payloads.add(e.access("db", "current"));
            }
            // the restarters' failure paths: a refused patch, a failed replace operation
            e.env.clock.advance(Duration.ofDays(2));
            e.env.emulator.kube().fail("patch", 403);
            e.env.emulator.migs().failOperation(mig, "injected");
            reports.add(e.run());
            e.env.emulator.kube().fail("patch", 0);
            reports.add(e.run());
            payloads.add(e.access("db", "current"));
            StringBuilder seen = new StringBuilder();
            seen.append(e.env.emulator.kube().get(cluster, "default", "api")).append('\n')
                    .append(e.env.emulator.migs().versions(mig)).append('\n');
            // rollback: a refusal (version 4 is disabled) and one that goes through, its payload re-added
            Rollback rollback = e.env.bean(Rollback.class);
            var ref = new dev.rotor.secret.SecretRef(Engine.PROJECT, "db");
            try {
                rollback.rollBack(ref, "operator@demo-project.iam.gserviceaccount.com", "canary");
            } catch (ManualRotation.Refused refused) {
                seen.append(refused.getMessage()).append('\n');
            }
            e.declare("db2", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"));
            e.run();
            payloads.add(e.access("db2", "1"));
            e.env.clock.advance(Duration.ofDays(2));
            e.run();
            payloads.add(e.access("db2", "2"));
            seen.append(ObjectMapper.getDefault().writeValueAsString(rollback.rollBack(
                    new dev.rotor.secret.SecretRef(Engine.PROJECT, "db2"), "operator@demo-project.iam.gserviceaccount.com",
                    "canary"))).append('\n');
            // the log lines as Cloud Logging gets them, with their structured fields (the state-change entries)
            logs.list.forEach(l -> seen.append(JSON.doLayout(l))
                    .append(l.getThrowableProxy() == null ? "" : l.getThrowableProxy().getMessage()).append('\n'));
            seen.append(e.env.bean(PrometheusMeterRegistry.class).scrape());
            assertTrue(seen.toString().contains("\"event\":\"state-change\""), "the state-change entries are looked at");
            for (RunReport r : reports) {
                seen.append(ObjectMapper.getDefault().writeValueAsString(r)).append('\n');
                r.secrets().forEach(s -> seen.append(s.error()).append('\n'));
            }
            seen.append(e.client.getSecret(Engine.name("db")).getAnnotationsMap());
            seen.append(e.client.getSecret(Engine.name("db")).getVersionAliasesMap()); // the state's fence aliases
            assertTrue(payloads.size() >= 4);
            assertTrue(reports.stream().anyMatch(r -> r.summary().failed() > 0), "failure paths were exercised");
            for (String p : payloads) {
                assertFalse(seen.toString().contains(p), "a payload leaked: " + p.substring(0, 4) + "...");
            }
            assertNoLeak(e, seen, logs);
        } finally {
            root.detachAppender(logs);
            root.setLevel(level);
        }
    }
}
