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
 * Each numbered item of issue 14 as a check over terraform/: the tree passes it, and the same tree with one
 * tweak that brings the item's failure back is caught (the table-test habit: one valid case, small tweaks).
 */
class DeployPolicyTest {
    private static final Path TERRAFORM = Path.of("terraform");
    private static final String SECRET = "modules/managed-secret/main.tf";
    private static final String SERVICE = "modules/rotor-service/main.tf";

    @TempDir
    Path copy;

    @BeforeEach
    void copyTheTree() throws IOException {
        TerraformTree.copy(TERRAFORM, copy);
    }

    @Test
    void theTreeKeepsEveryItem() {
        assertEquals(List.of(), new DeployPolicy(TerraformTree.read(TERRAFORM)).all());
    }

    @Test
    void item1PerSecretGrantsOnSharedResourcesAreCaught() throws IOException {
        append(SECRET, """
                # per secret
                resource "google_service_account_iam_member" "mints" {
                  service_account_id = "projects/-/serviceAccounts/${var.service_account}"
                  role               = "roles/iam.serviceAccountOpenIdTokenCreator"
                  member             = local.rotor
                }
                """);
        tweak("grants.tf", "for_each           = local.key_accounts", "count              = length(local.key_accounts)");
        caught(DeployPolicy::sharedGrantsMadeOnce, "google_service_account_iam_member.mints: a per-secret grant",
                "rotor_manages_keys: a shared grant made by count");
    }

    @Test
    void item2UnguardedDestructionIsCaught() throws IOException {
        tweak(SECRET, "deletion_protection = var.deletion_protection", "deletion_protection = false");
        tweak(SECRET, "  lifecycle {\n    prevent_destroy = true\n    precondition {\n      condition     = length(local.key_ring)",
                "  lifecycle {\n    precondition {\n      condition     = length(local.key_ring)");
        caught(DeployPolicy::destructiveChangesGuarded, "google_secret_manager_secret.this: no deletion_protection",
                "google_kms_key_ring.secret: no prevent_destroy");
    }

    @Test
    void item3AnAssumedServiceAgentIsCaught() throws IOException {
        tweak("main.tf", "secret_manager_agent  = google_project_service_identity.secret_manager.member",
                "secret_manager_agent  = \"serviceAccount:service-1@gcp-sa-secretmanager.iam.gserviceaccount.com\"");
        tweak("apis.tf", "provider   = google-beta\n", "");
        caught(DeployPolicy::serviceAgentCreated, "hand-built Secret Manager agent", "no google_project_service_identity",
                "secret_manager_agent is not the service identity's member");
    }

    @Test
    void item4ModulesRacingTheApisAreCaught() throws IOException {
        tweak("main.tf", "  rotator_role          = module.rotor_service.rotator_role\n\n  depends_on = [time_sleep.apis_ready]",
                "  rotator_role          = module.rotor_service.rotator_role");
        tweak("apis.tf", "\"cloudresourcemanager.googleapis.com\",", "");
        caught(DeployPolicy::apisEnabledFirst, "module managed_secret: does not wait for the APIs",
                "cloudresourcemanager.googleapis.com is not enabled");
    }

    @Test
    void item5ProvidersInModulesAndOldProvidersAreCaught() throws IOException {
        append("main.tf", "provider \"google\" {\n  project = var.project_id\n}\n");
        tweak("modules/managed-secret/versions.tf", PROVIDER, "\">= 6, < 8\"");
        caught(DeployPolicy::providersOnlyInExamples, "provider google: a provider block in a module",
                "google provider >= 6, < 8");
    }

    @Test
    void item6AnExampleThatCannotApplyInOneGoIsCaught() throws IOException {
        tweak("examples/complete/main.tf", "  count               = var.with_consumer ? 1 : 0\n", "");
        tweak("examples/complete/main.tf", "  depends_on = [google_cloud_run_v2_service.api]\n", "");
        caught(DeployPolicy::exampleAppliesInOrder, "pins a secret version in the first apply",
                "grants on consumer example-api without depending on it");
    }

    @Test
    void item7WideRolesAreCaught() throws IOException {
        tweak(SERVICE, "    \"secretmanager.versions.get\",\n", "");
        tweak("grants.tf", "role     = module.rotor_service.service_roller_role", "role     = \"roles/run.developer\"");
        tweak("grants.tf", "roles/iam.serviceAccountOpenIdTokenCreator", "roles/iam.serviceAccountTokenCreator");
        tweak("grants.tf", "roles/cloudkms.cryptoKeyDecrypter\"", "roles/cloudkms.cryptoKeyEncrypterDecrypter\"");
        caught(DeployPolicy::leastPrivilege, "lacks secretmanager.versions.get", "roles/run.developer is wider",
                "roles/iam.serviceAccountTokenCreator is wider", "need roles/iam.serviceAccountOpenIdTokenCreator",
                "cannot decrypt them");
    }

    @Test
    void item8AFixedSchedulerDeadlineIsCaught() throws IOException {
        tweak(SERVICE, "attempt_deadline = local.attempt_deadline", "attempt_deadline = \"900s\"");
        tweak(SERVICE, "  paused           = var.paused\n", "");
        caught(DeployPolicy::schedulerFollowsTimeout, "attempt_deadline \"900s\" does not follow", "no paused switch");
    }

    @Test
    void item9WhatOnlyFailsMidApplyIsCaught() throws IOException {
        tweak(SERVICE, "role_id     = \"${local.role_prefix}.secretLister\"", "role_id     = \"rotorSecretLister\"");
        tweak("grants.tf", "\"projects/-/serviceAccounts/${each.value}\"\n  role               = \"roles/iam.serviceAccountKeyAdmin\"",
                "\"projects/${var.project_id}/serviceAccounts/${each.value}\"\n  role               = \"roles/iam.serviceAccountKeyAdmin\"");
        tweak("main.tf", "  cpu                     = var.cpu\n", "");
        tweak(SECRET, "condition     = var.kind == \"generated\" || var.service_account != null", "condition     = true");
        tweak(SECRET, "condition     = length(var.secret_id) <= 63", "condition     = true");
        caught(DeployPolicy::checkedAtPlanTime, "role id \"rotorSecretLister\" is not unique",
                "should be projects/-/serviceAccounts/EMAIL", "does not pass cpu through",
                "no precondition that key and token kinds", "google_kms_crypto_key.secret: no precondition on the 63-character");
    }

    @Test
    void item10ReadmesDocumentEveryInputAndOutput() throws IOException {
        for (String dir : List.of("", "modules/rotor-service", "modules/managed-secret")) {
            assertEquals(List.of(), ModuleReadme.mismatches(TerraformTree.read(TERRAFORM), TERRAFORM.resolve(dir)), dir);
        }
        append("modules/managed-secret/variables.tf", "variable \"undocumented\" {\n  type = string\n}\n");
        tweak("modules/rotor-service/README.md", "| `repository` |", "| `repo_gone` |");
        Path secret = copy.resolve("modules/managed-secret");
        Path service = copy.resolve("modules/rotor-service");
        String found = String.join("\n", ModuleReadme.mismatches(TerraformTree.read(copy), secret))
                + String.join("\n", ModuleReadme.mismatches(TerraformTree.read(copy), service));
        for (String expected : List.of("Inputs table has no row for undocumented", "Outputs table has no row for repository",
                "documents repo_gone, which is not declared")) {
            assertTrue(found.contains(expected), "missed: " + expected + "\n" + found);
        }
    }

    @Test
    void item10GitignoreKeepsTerraformStateAndVariablesOut() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(".gitignore"));
        for (String pattern : List.of(".terraform/", "*.tfstate", "*.tfstate.*", "*.tfvars")) {
            assertTrue(lines.contains(pattern), ".gitignore lacks " + pattern);
        }
    }

    private static final String PROVIDER = "\"" + DeployPolicy.PROVIDER_CONSTRAINT + "\"";

    private void tweak(String file, String from, String to) throws IOException {
        Path f = copy.resolve(file);
        String text = Files.readString(f);
        assertTrue(text.contains(from), file + " no longer contains the text this tweak replaces: " + from);
        Files.writeString(f, text.replace(from, to));
    }

    private void append(String file, String text) throws IOException {
        Files.writeString(copy.resolve(file), Files.readString(copy.resolve(file)) + "\n" + text);
    }

    private void caught(Function<DeployPolicy, List<String>> check, String... expected) {
        assertEquals(List.of(), check.apply(new DeployPolicy(TerraformTree.read(TERRAFORM))), "the real tree passes");
        String found = String.join("\n", check.apply(new DeployPolicy(TerraformTree.read(copy))));
        for (String e : expected) {
            assertTrue(found.contains(e), "missed: " + e + "\n" + found);
        }
    }
}
