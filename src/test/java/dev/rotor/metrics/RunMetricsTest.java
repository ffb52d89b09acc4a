package dev.rotor.metrics;

import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import dev.rotor.credential.Sleeper;
import dev.rotor.local.EmulatedContext;
import dev.rotor.local.faults.Faults;
import dev.rotor.rotation.Auditor;
import dev.rotor.rotation.RunReport;
import dev.rotor.rotation.RunService;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run over the emulator produces the meters of the contract (docs/observability.md) with the values the run
 * read, and the ages and times left move with the emulator's clock between runs.
 */
class RunMetricsTest {
    private static final String PROJECT = "demo-project";
    private final EmulatedContext env = new EmulatedContext(Map.of(
            "rotor.projects", PROJECT,
            "rotor.retry.base-delay", "1ms",
            "rotor.quota.secret-manager.writes-per-minute", "0",
            "rotor.quota.secret-manager.reads-per-minute", "0"),
            Map.of(Sleeper.class, (Sleeper) this::advance));
    private final SecretManagerServiceClient client = env.bean(SecretManagerServiceClient.class);
    private final MeterRegistry registry = env.bean(MeterRegistry.class);
    private final MeterRegistry prometheus = env.bean(io.micrometer.prometheusmetrics.PrometheusMeterRegistry.class);
    private int runs;

    private void advance(Duration d) {
        env.clock.advance(d);
    }

    @AfterEach
    void close() {
        env.close();
    }

    private void declare(String id, Map<String, String> annotations) {
        client.createSecret("projects/" + PROJECT, id, Secret.newBuilder().putLabels("rotor", "managed")
                .putAllAnnotations(annotations)
                .setReplication(Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()))
                .build());
    }

    private RunReport run() {
        return env.bean(RunService.class).run(new RunService.RunRequest("run-" + (++runs), Set.of(), false));
    }

    private Gauge gauge(String name, String secret) {
        return registry.find(name).tag("secret", secret).gauge();
    }

    private double value(String name, String secret) {
        Gauge g = gauge(name, secret);
        assertNotNull(g, name + " of " + secret + " is missing");
        return g.value();
    }

    @Test
    void aRunEmitsEveryMeterOfTheContractAndAgesMoveWithTheClock() {
        String sa = env.emulator.iam().createAccount(PROJECT, "app").email();
        declare("key", Map.of("rotor.kind", "service-account-key", "rotor.service-account", sa,
                "rotor.rotate-every", "P1D"));
        declare("tok", Map.of("rotor.kind", "access-token", "rotor.service-account", sa));
        declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D", "rotor.consumers",
                "run:projects/demo-project/locations/europe-west1/services/missing"));
        declare("bad", Map.of("rotor.kind", "no-such-kind"));

        run();
        assertEquals(1, registry.find(RunMetrics.ROTATIONS).tags("secret", "key", "kind", "service-account-key",
                "outcome", "rotated").counter().count());
        assertEquals(1, registry.find(RunMetrics.ROTATIONS).tags("secret", "bad", "kind", RunMetrics.NO_KIND,
                "outcome", "misconfigured").counter().count());
        Timer duration = registry.find(RunMetrics.DURATION).tag("secret", "key").timer();
        assertNotNull(duration, "a rotation that did work is timed");
        assertEquals(1, duration.count());
        assertEquals(1, value(RunMetrics.MISCONFIGURED, "bad"));
        assertEquals(0, value(RunMetrics.MISCONFIGURED, "key"));
        assertEquals(0, value(RunMetrics.VERSION_AGE, "key"));
        assertEquals(0, value(RunMetrics.KEY_AGE, "key"));
        assertNull(gauge(RunMetrics.KEY_AGE, "tok"), "a token has no key");
        assertNull(gauge(RunMetrics.EXPIRY, "key"), "a key without valid_before_time never expires");
        double expiry = value(RunMetrics.EXPIRY, "tok");
        assertTrue(expiry > 600, "the token's lifetime: " + expiry);
        // the consumer that cannot roll: the version is current, one consumer still waits
        assertEquals(1, value(RunMetrics.UNROLLED, "db"));
        assertEquals(0, value(RunMetrics.UNROLLED, "key"));
        assertEquals(1, prometheus.find(RunMetrics.RUN_COMPLETED).tag("outcome", "failed").gauge().value());

        env.clock.advance(Duration.ofMinutes(10));
        assertEquals(expiry - 600, value(RunMetrics.EXPIRY, "tok"), "the time left falls with the clock");
        assertEquals(600, value(RunMetrics.VERSION_AGE, "key"));
        assertEquals(600, value(RunMetrics.KEY_AGE, "key"));
        assertEquals(600, value(RunMetrics.UNROLLED_AGE, "db"));
        assertEquals(0, value(RunMetrics.UNROLLED_AGE, "key"));

        // the audit lists the account's keys: their oldest enabled one is reported at the next run, no call of its own
        env.bean(Auditor.class).audit("audit-1", false);
        run();
        Gauge oldest = registry.find(RunMetrics.OLDEST_KEY).tags("project", PROJECT, "account", sa).gauge();
        assertNotNull(oldest, "the oldest key on the managed account");
        assertEquals(600, oldest.value());
    }

    @Test
    void failuresInARowCountRunsThatFailedAndASuccessResetsThem() {
        declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"));
        env.emulator.faults().fail("AddSecretVersion", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 99);
        run();
        assertEquals(1, value(RunMetrics.FAILURES, "db"));
        env.clock.advance(Duration.ofMinutes(11));
        run();
        assertEquals(2, value(RunMetrics.FAILURES, "db"));
        assertEquals(2, registry.find(RunMetrics.ROTATIONS).tags("secret", "db", "outcome", "failed").counter().count());
        env.emulator.faults().clear();
        env.clock.advance(Duration.ofMinutes(11));
        run();
        assertEquals(0, value(RunMetrics.FAILURES, "db"));
        assertEquals(1, prometheus.find(RunMetrics.RUN_COMPLETED).tag("outcome", "ok").gauge().value());
        assertNull(prometheus.find(RunMetrics.RUN_COMPLETED).tag("outcome", "failed").gauge(),
                "only the last run's outcome is shown");
    }

    @Test
    void aQuotaRefusalThatIsBackedOffIsCountedAndASecretNoLongerManagedLosesItsGauges() {
        declare("db", Map.of("rotor.kind", "generated", "rotor.rotate-every", "P1D"));
        env.emulator.faults().fail("UpdateSecret", Status.Code.RESOURCE_EXHAUSTED, Faults.When.BEFORE, 1);
        RunReport report = run();
        assertEquals(1, report.summary().rotated(), report.toString());
        Counter backoffs = registry.find(RunMetrics.BACKOFFS).tag("service", "secretmanager").counter();
        assertNotNull(backoffs);
        assertEquals(1, backoffs.count());
        assertNotNull(gauge(RunMetrics.VERSION_AGE, "db"));
        // no longer managed: its label removed
        client.updateSecret(Secret.newBuilder().setName("projects/" + PROJECT + "/secrets/db").build(),
                com.google.protobuf.FieldMask.newBuilder().addPaths("labels").build());
        assertEquals(0, run().secrets().size());
        assertNull(gauge(RunMetrics.VERSION_AGE, "db"), "a secret Rotor no longer manages reports nothing");
    }
}
