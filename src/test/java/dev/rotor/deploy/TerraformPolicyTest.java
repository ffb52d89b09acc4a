package dev.rotor.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerraformPolicyTest {
    private static final List<String> MODULES = List.of("terraform", "terraform/modules/rotor-service",
            "terraform/modules/managed-secret", "terraform/examples/complete");

    @Test
    void theDeploymentKeepsEveryPolicy() throws IOException {
        for (String module : MODULES) {
            assertEquals(List.of(), TerraformPolicy.check(Path.of(module)), module);
        }
    }

    @Test
    void everyModuleHasItsFilesAndEveryVariableIsDescribedAndTyped() throws IOException {
        for (String module : List.of("terraform/modules/rotor-service", "terraform/modules/managed-secret")) {
            for (String f : List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")) {
                assertTrue(Files.exists(Path.of(module, f)), module + "/" + f);
            }
            String vars = Files.readString(Path.of(module, "variables.tf"));
            int declared = vars.split("(?m)^variable ").length - 1;
            assertEquals(declared, vars.split("description = ").length - 1, module + ": every variable has a description");
            assertEquals(declared, vars.split("\n  type ").length - 1, module + ": every variable has a type");
        }
    }

    @Test
    void theChecksCatchWhatTheyShould(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("main.tf"), """
                resource "google_project_iam_member" "owner" {
                  project = var.project_id
                  role    = "roles/owner"
                  member  = "allUsers"
                }

                # admin everywhere
                resource "google_project_iam_member" "sm_admin" {
                  project = var.project_id
                  role    = "roles/secretmanager.admin"
                  member  = "serviceAccount:x@p.iam.gserviceaccount.com"
                }

                resource "google_cloud_scheduler_job" "no_oidc" {
                  name = "a"
                  http_target {
                    uri = "https://example"
                  }
                }

                resource "google_cloud_scheduler_job" "wrong_audience" {
                  name = "b"
                  http_target {
                    uri = "https://example"
                    oidc_token {
                      service_account_email = "s@p.iam.gserviceaccount.com"
                      audience              = "https://elsewhere"
                    }
                  }
                }

                resource "google_secret_manager_secret" "plain" {
                  secret_id = "x"
                  labels    = { team = "a" }
                  replication {
                    auto {}
                  }
                }
                """);
        Files.writeString(dir.resolve("variables.tf"), "variable \"other\" {\n  type = string\n}\n");
        String found = String.join("\n", TerraformPolicy.check(dir));
        for (String expected : List.of("basic role roles/owner", "public member", "project-level admin role",
                "without an OIDC token", "is not the service URL", "without the label rotor=managed",
                "without customer-managed encryption", "var.project_id is used but not declared",
                "owner has no comment")) {
            assertTrue(found.contains(expected), "missed: " + expected + "\n" + found);
        }
    }
}
