package dev.rotor.deploy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16's alerts, each check shown on the real tree and on a copy with one tweak that brings its failure
 * back (the style of {@link DeployPolicyTest}).
 */
class AlertPolicyTest {
    private static final Path TERRAFORM = Path.of("terraform");
    private static final Path RUNBOOK = Path.of("docs/runbook.md");
    private static final String ALERTS = "modules/rotor-service/alerts.tf";

    @TempDir
    Path copy;

    @BeforeEach
    void copyTheTree() throws IOException {
        TerraformTree.copy(TERRAFORM, copy);
        Files.copy(RUNBOOK, copy.resolve("runbook.md"));
    }

    @Test
    void theTreeKeepsEveryAlert() {
        assertEquals(List.of(), new AlertPolicy(TerraformTree.read(TERRAFORM), RUNBOOK).all());
    }

    @Test
    void metricTypesAreWhatMicrometersStackdriverRegistryWrites() {
        assertEquals("custom.googleapis.com/rotor/credential/expiry", AlertPolicy.metricType("rotor.credential.expiry"));
        assertEquals("custom.googleapis.com/rotor/consumers/unrolled/age", AlertPolicy.metricType("rotor.consumers.unrolled.age"));
    }

    @Test
    void wrongThresholdsAndMetricsAreCaught() throws IOException {
        tweak("threshold  = 86400\n", "threshold  = 3600\n");
        tweak("threshold  = 172800", "threshold  = 86400");
        tweak("threshold  = 604800", "threshold  = 1209600");
        tweak("comparison = \"COMPARISON_GE\"\n      threshold  = 2\n      severity   = \"CRITICAL\"",
                "comparison = \"COMPARISON_GT\"\n      threshold  = 2\n      severity   = \"CRITICAL\"");
        tweak("metric     = \"declarations/misconfigured\"", "metric     = \"declarations.misconfigured\"");
        caught(AlertPolicy::thresholds, "credential-expires-48h: threshold 86400, expected 172800",
                "credential-expires-7d: threshold 1209600, expected 604800",
                "token-rotation-failing: comparison \"COMPARISON_GT\", expected COMPARISON_GE",
                "consumer-not-rolled: threshold 3600, expected 86400",
                "declaration-misconfigured: metric custom.googleapis.com/rotor/declarations.misconfigured is not");
    }

    @Test
    void aPageSentAsATicketAndTheReverseAreCaught() throws IOException {
        tweak("severity   = \"CRITICAL\"\n      page       = true\n      anchor     = \"alert-a-credential-expires-within-48-hours\"",
                "severity   = \"CRITICAL\"\n      page       = false\n      anchor     = \"alert-a-credential-expires-within-48-hours\"");
        tweak("severity   = \"WARNING\"\n      page       = false\n      anchor     = \"alert-a-credential-expires-within-7-days\"",
                "severity   = \"WARNING\"\n      page       = true\n      anchor     = \"alert-a-credential-expires-within-7-days\"");
        tweak("  enabled               = !var.paused\n  notification_channels = var.page_notification_channels",
                "  enabled               = !var.paused\n  notification_channels = var.ticket_notification_channels");
        caught(AlertPolicy::channels, "credential-expires-48h: page = false, expected true",
                "credential-expires-7d: page = true, expected false",
                "no_successful_run: notification_channels = var.ticket_notification_channels");
    }

    @Test
    void anAbsenceWindowNotOfThreeRunPeriodsIsCaught() throws IOException {
        tweak("missed_runs          = 3", "missed_runs          = 2");
        tweak("absent_after_seconds = local.missed_runs * min(local.token_period, local.key_period)", "absent_after_seconds = 900");
        tweak("key-rotation  = var.key_rotation_schedule", "key-rotation  = \"0 * * * *\"");
        tweak("metric.label.outcome=\\\"ok\\\" AND ${local.own_service}", "metric.label.outcome=\\\"ok\\\"");
        tweak("  enabled               = !var.paused\n", "");
        caught(AlertPolicy::absenceOverThreeRunPeriods, "local.missed_runs is 2, expected 3",
                "absent_after_seconds = 900 is not", "not read from var.key_rotation_schedule", "still pages while the jobs are paused",
                "no absence of this service's rotor.run.completed");
    }

    @Test
    void aSchedulerMetricThatCountsRotorsOwnFailuresIsCaught() throws IOException {
        tweak("    \"NOT httpRequest.status=500\",\n", "");
        tweak("jsonPayload.\\\"@type\\\"=\\\"type.googleapis.com/google.cloud.scheduler.logging.AttemptFinished\\\"",
                "jsonPayload.\\\"@type\\\"=\\\"type.googleapis.com/google.cloud.scheduler.logging.AttemptStarted\\\"");
        caught(AlertPolicy::schedulerFailuresFromItsLog, "lacks NOT httpRequest.status=500", "lacks google.cloud.scheduler.logging.AttemptFinished");
    }

    @Test
    void aPolicyOnAMetricThatDoesNotExistYetIsCaught() throws IOException {
        tweak("    \"consumers/unrolled/age\"", "    \"consumers/unrolled/age_typo\"");
        tweak("create_duration = \"600s\"", "create_duration = \"30s\"");
        caught(AlertPolicy::schedulerFailuresFromItsLog, "no descriptor for custom.googleapis.com/rotor/consumers/unrolled/age,",
                "does not wait the 10 minutes");
    }

    @Test
    void aLinkToNoRunbookSectionIsCaught() throws IOException {
        tweak("anchor     = \"alert-a-consumer-has-not-rolled-for-a-day\"", "anchor     = \"alert-consumer-not-rolled\"");
        String runbook = Files.readString(copy.resolve("runbook.md"));
        Files.writeString(copy.resolve("runbook.md"), runbook.replace("## Alert: no successful run\n", "## When no run succeeded\n"));
        caught(AlertPolicy::runbookLinks, "#alert-consumer-not-rolled names no section", "#alert-no-successful-run names no section");
    }

    @Test
    void anchorsFollowGithubHeadings() {
        assertEquals(java.util.Set.of("alert-a-credential-expires-within-48-hours", "the-10-key-limit"),
                AlertPolicy.anchors("# Runbook\n## Alert: a credential expires within 48 hours\n## The 10-key limit\n"));
    }

    private void tweak(String from, String to) throws IOException {
        Path f = copy.resolve(ALERTS);
        String text = Files.readString(f);
        assertTrue(text.contains(from), ALERTS + " no longer contains the text this tweak replaces: " + from);
        Files.writeString(f, text.replace(from, to));
    }

    private void caught(Function<AlertPolicy, List<String>> check, String... expected) {
        assertEquals(List.of(), check.apply(new AlertPolicy(TerraformTree.read(TERRAFORM), RUNBOOK)), "the real tree passes");
        String found = String.join("\n", check.apply(new AlertPolicy(TerraformTree.read(copy), copy.resolve("runbook.md"))));
        for (String e : expected) {
            assertTrue(found.contains(e), "missed: " + e + "\n" + found);
        }
    }
}
