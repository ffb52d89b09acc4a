package dev.rotor.rotation;

import com.google.cloud.secretmanager.v1.Secret;
import dev.rotor.policy.PolicyParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two weeks of hourly rotation of every kind (service-account key, ID token, access token, generated), run by
 * run on the emulated clock, with a retention longer than the run so that no version is ever destroyed: the
 * worst case for anything the state could accumulate (key ids above all: a key secret keeps one per version
 * not destroyed, and IAM's 10-key limit makes Rotor delete retired keys long before their versions go). The
 * managed-secret module accepts any whole number of days as {@code retain} (and sets the secret's
 * {@code version_destroy_ttl} from it), so 365 days stands for "longer than the test", which is all that
 * matters here. Every write must succeed, the state must stay within {@link StateCodec#MAX_STATE_BYTES} and
 * the aliases within Secret Manager's 50.
 */
class FourteenDaysTest {
    private static final int HOURS = 14 * 24;
    private static final String[] IDS = {"gen", "tok", "key", "oidc"};

    @Test
    void hourlyRotationForTwoWeeksStaysWithinTheStateBound() {
        try (Engine e = new Engine()) {
            String sa = e.account("app");
            e.declare("gen", Map.of("rotor.kind", "generated", "rotor.rotate-every", "PT1H", "rotor.grace", "PT0S",
                    "rotor.retain", "P365D"), Duration.ofDays(365).toSeconds());
            e.declare("tok", Map.of("rotor.kind", "access-token", "rotor.service-account", sa,
                    "rotor.lifetime", "PT1H", "rotor.refresh-before", "PT5M", "rotor.grace", "PT0S",
                    "rotor.retain", "P365D"), Duration.ofDays(365).toSeconds());
            e.declare("key", Map.of("rotor.kind", "service-account-key", "rotor.service-account", e.account("keys"),
                    "rotor.rotate-every", "PT1H", "rotor.grace", "PT0S", "rotor.retain", "P365D"),
                    Duration.ofDays(365).toSeconds());
            e.declare("oidc", Map.of("rotor.kind", "id-token", "rotor.service-account", sa,
                    "rotor.audience", "https://backend.example", "rotor.refresh-before", "PT5M", "rotor.grace", "PT0S",
                    "rotor.retain", "P365D"), Duration.ofDays(365).toSeconds());
            int largest = 0;
            for (int hour = 0; hour <= HOURS; hour++) {
                RunReport report = e.run();
                assertEquals(0, report.summary().failed(), "hour " + hour + ": " + report);
                for (String id : IDS) {
                    Secret s = e.client.getSecret(Engine.name(id));
                    int bytes = s.getAnnotationsOrThrow(PolicyParser.STATE).getBytes(StandardCharsets.UTF_8).length;
                    largest = Math.max(largest, bytes);
                    assertTrue(bytes <= StateCodec.MAX_STATE_BYTES, id + " at hour " + hour + ": " + bytes + " bytes");
                    assertTrue(s.getVersionAliasesCount() <= StateFence.MAX_ALIASES);
                }
                e.env.clock.advance(Duration.ofHours(1));
            }
            assertTrue(e.state("gen").current() > HOURS, "rotated every hour: " + e.state("gen"));
            assertTrue(e.state("tok").current() > HOURS / 2, "refreshed all along: " + e.state("tok"));
            assertTrue(e.state("oidc").current() > HOURS / 2, "refreshed all along: " + e.state("oidc"));
            assertTrue(e.state("key").current() > HOURS, "rotated every hour: " + e.state("key"));
            System.out.println("14 days hourly: largest rotor.state " + largest + " bytes, "
                    + e.versions("gen").size() + " versions of gen, " + e.state("key").keyIds().size() + " key ids kept");
        }
    }
}
