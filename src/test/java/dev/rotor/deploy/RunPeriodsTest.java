package dev.rotor.deploy;

import dev.rotor.deploy.TerraformTree.Block;
import dev.rotor.testing.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The alert windows Terraform itself computes from the run crons: the locals of alerts.tf evaluated by
 * {@code terraform console} (no provider needed for locals), so the arithmetic the policy checks only read
 * is also run. Needs the terraform binary, as CI's fmt check does; without it the test is skipped.
 */
class RunPeriodsTest {
    private static final Path MODULE = Path.of("terraform/modules/rotor-service");
    private static final String WINDOWS = "\"${local.absent_after_seconds} ${local.token_alignment} ${local.key_alignment}\"";

    @TempDir
    Path dir;

    @Test
    void theDefaultSchedulesGiveFifteenMinutesOfAbsenceAndTwoPeriodsOfAlignment() throws Exception {
        assertEquals("900 600 7200", windows(""));
    }

    @Test
    void theWindowsFollowTheCrons() throws Exception {
        assertEquals("1800 1200 7200", windows("token_refresh_schedule = \"*/10 * * * *\""));
        assertEquals("900 600 43200", windows("key_rotation_schedule = \"0 */6 * * *\""));
        assertEquals("180 120 7200", windows("token_refresh_schedule = \"* * * * *\""));
        assertEquals("900 600 86400", windows("key_rotation_schedule = \"15 4 * * *\""));
    }

    @Test
    void aCronTheAlertsCannotReadTakesRunPeriodSecondsOrFailsThePlan() throws Exception {
        String weekdays = "key_rotation_schedule = \"0 9 * * 1-5\"";
        assertEquals("900 600 86400", windows(weekdays + "\nrun_period_seconds = 86400"));
        assertEquals("true", evaluate(weekdays + "\nrun_period_seconds = 86400", PERIODS_KNOWN));
        assertEquals("false", evaluate(weekdays, PERIODS_KNOWN));
        assertEquals("false", evaluate("token_refresh_schedule = \"0 3 * * *\"\nkey_rotation_schedule = \"15 4 * * *\"", ABSENCE_IN_RANGE));
        assertEquals("true", evaluate("", ABSENCE_IN_RANGE));
    }

    private String windows(String tfvars) throws IOException, InterruptedException {
        return evaluate(tfvars, WINDOWS);
    }

    /** The preconditions of no_successful_run, as alerts.tf writes them. */
    private static String precondition(String starts) {
        try {
            String text = Files.readString(MODULE.resolve("alerts.tf"));
            int at = text.indexOf("condition     = " + starts);
            assertTrue(at >= 0, "alerts.tf has no precondition starting " + starts);
            return text.substring(at + "condition     = ".length(), text.indexOf('\n', at));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final String PERIODS_KNOWN = precondition("local.token_period > 0");
    private static final String ABSENCE_IN_RANGE = precondition("local.absent_after_seconds >= 120");

    private String evaluate(String tfvars, String expression) throws IOException, InterruptedException {
        assumeTrue(onPath("terraform"), "terraform is not installed");
        Block locals = TerraformTree.read(MODULE).in(MODULE, "locals").filter(b -> b.body().contains("secret_alerts"))
                .findFirst().orElseThrow();
        Files.writeString(dir.resolve("locals.tf"), "locals {" + locals.body() + "}\n");
        Files.copy(MODULE.resolve("variables.tf"), dir.resolve("variables.tf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("t.tfvars"), "project_id = \"my-project-1\"\n" + tfvars + "\n");
        Path input = Files.writeString(dir.resolve("expression.txt"), expression + "\n");
        Command.Result r = Command.run(new ProcessBuilder("terraform", "console", "-var-file=t.tfvars")
                .directory(dir.toFile()).redirectInput(input.toFile()), Duration.ofSeconds(60));
        assertEquals(0, r.exit(), r.out() + r.err());
        return r.out().trim().replace("\"", "");
    }

    private static boolean onPath(String binary) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, binary))) {
                return true;
            }
        }
        return false;
    }
}
