package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.SecretVersion;
import dev.rotor.local.faults.Faults;
import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The old version, and the IAM key behind it, stay enabled and working until every consumer has rolled to the
 * new one, and are retired after (DESIGN §3, §5). A consumer whose roll keeps failing still reads the old
 * version: retiring it first would take the credential away from a running service. Unlike a test whose
 * consumer only ever sees version 1, here the roll fails while version 2 is already current.
 */
class RollBeforeRetireTest {
    private static final String SERVICE = "projects/demo-project/locations/europe-west1/services/api";

    @ParameterizedTest
    @ValueSource(strings = {"generated", "service-account-key"})
    void theOldVersionAndItsKeyStayUntilTheConsumerHasRolledAndAreRetiredAfter(String kind) {
        try (Engine e = new Engine()) {
            String sa = e.account("app");
            InUse.cloudRunConsumer(e, SERVICE, "db");
            Map<String, String> policy = new HashMap<>(Map.of("rotor.kind", kind, "rotor.rotate-every", "P1D",
                    "rotor.keep-enabled", "1", "rotor.grace", "PT0S", "rotor.consumers", "run:" + SERVICE));
            if (kind.equals("service-account-key")) {
                policy.put("rotor.service-account", sa);
            }
            e.declare("db", policy);
            assertEquals(1, e.run().summary().rotated());
            String oldKeyFile = e.access("db", "1");
            e.env.clock.advance(Duration.ofDays(2));

            e.env.emulator.faults().fail("UpdateService", Status.Code.PERMISSION_DENIED, Faults.When.BEFORE, 1000);
            for (int attempt = 1; attempt <= 2; attempt++) {
                RunReport failing = e.run();
                assertEquals(1, failing.summary().failed(), failing.toString());
                assertEquals(2L, e.aliases("db").get("current"), "the new version is committed");
                InUse.assertUsable(e, "db", "1", "while the consumer has not rolled (run " + attempt + ")");
                InUse.assertUsable(e, "db", "2", "the committed version");
                e.env.clock.advance(Duration.ofMinutes(11));
            }

            e.env.emulator.faults().clear();
            RunReport rolled = e.run();
            assertEquals(0, rolled.summary().failed(), rolled.toString());
            assertEquals("2", InUse.pinnedVersion(e, SERVICE), "the consumer serves version 2");
            assertEquals(SecretVersion.State.DISABLED, e.client.getSecretVersion(Engine.name("db") + "/versions/1").getState(),
                    "version 1 is retired once no consumer uses it");
            InUse.assertUsable(e, "db", "2", "after the roll");
            if (kind.equals("service-account-key")) {
                assertTrue(InUse.key(e, oldKeyFile).getDisabled(), "version 1's key is retired with it");
            }
        }
    }
}
