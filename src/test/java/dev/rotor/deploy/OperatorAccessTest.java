package dev.rotor.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperatorAccessTest {
    private static final Path MODULE = Path.of("terraform/modules/rotor-service");

    @Test
    void operatorsAndAudiencesAreWiredAsRotorsCloudRunModeNeeds() throws IOException {
        assertEquals(List.of(), OperatorAccess.check(MODULE));
    }

    @Test
    void theRootModulePassesOperatorsAndAudiencesThroughAndNamesTheOperatorAccount() throws IOException {
        String root = Files.readString(Path.of("terraform/main.tf"));
        String module = OperatorAccess.block(root.replace("module \"rotor_service\"", "resource \"m\" \"rotor_service\""),
                "m", "rotor_service");
        assertTrue(module.matches("(?s).*operator_members\\s*=\\s*var\\.operator_members.*"), module);
        assertTrue(module.matches("(?s).*custom_audiences\\s*=\\s*var\\.custom_audiences.*"), module);
        String vars = Files.readString(Path.of("terraform/variables.tf"));
        assertTrue(vars.contains("variable \"operator_members\"") && vars.contains("variable \"custom_audiences\""));
        assertTrue(Files.readString(Path.of("terraform/outputs.tf")).contains("output \"operator_service_account\""));
        assertTrue(Files.readString(MODULE.resolve("variables.tf")).contains("(user|group):"),
                "operator_members accepts only user: and group: members");
    }

    @Test
    void theChecksCatchWhatTheyShould(@TempDir Path dir) throws IOException {
        expectViolation(dir, "main.tf", s -> s.replace("invoker_iam_disabled = false", "invoker_iam_disabled = true"),
                "invoker_iam_disabled = false");
        expectViolation(dir, "main.tf", s -> s.replace("\"cloud-run\"", "\"verify\""), "env ROTOR_AUTH_MODE");
        expectViolation(dir, "main.tf", s -> s.replace("value = local.audiences_env", "value = local.service_url"),
                "env ROTOR_AUTH_AUDIENCES");
        expectViolation(dir, "main.tf", s -> s.replace("value = local.operator_principals_env", "value = join(\",\", var.operator_principals)"),
                "env ROTOR_AUTH_OPERATOR_PRINCIPALS");
        expectViolation(dir, "operators.tf", s -> s.replace("roles/iam.serviceAccountOpenIdTokenCreator", "roles/iam.serviceAccountTokenCreator"),
                "serviceAccountOpenIdTokenCreator on the operator account");
        expectViolation(dir, "operators.tf", s -> s + """

                # everyone mints everything
                resource "google_project_iam_member" "wide" {
                  project = var.project_id
                  role    = "roles/iam.serviceAccountOpenIdTokenCreator"
                  member  = "group:all@example.com"
                }
                """, "token creator beyond the operator account");
        expectViolation(dir, "operators.tf", s -> s.replace("concat([local.service_url], var.custom_audiences)",
                "concat(var.custom_audiences)"), "local.audiences");
        expectViolation(dir, "operators.tf", s -> s.replace("\"serviceAccount:${google_service_account.operator.email}\"",
                "\"serviceAccount:someone@example.com\""), "roles/run.invoker");
    }

    private static void expectViolation(Path dir, String file, UnaryOperator<String> tweak, String expected) throws IOException {
        for (String f : List.of("main.tf", "operators.tf")) {
            String text = Files.readString(MODULE.resolve(f));
            Files.writeString(dir.resolve(f), f.equals(file) ? tweak.apply(text) : text);
        }
        String found = String.join("\n", OperatorAccess.check(dir));
        assertTrue(found.contains(expected), "missed: " + expected + "\n" + found);
    }
}
