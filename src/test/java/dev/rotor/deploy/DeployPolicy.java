package dev.rotor.deploy;

import dev.rotor.deploy.TerraformTree.Block;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a first apply on an empty project and every later change need from {@code terraform/}, one check per
 * numbered item of issue 14. Each returns its violations, so a test shows it passes on the tree and catches
 * the case it is for. The Google and provider semantics behind each are cited in the .tf files.
 */
final class DeployPolicy {
    static final String PROVIDER_CONSTRAINT = ">= 6.43, < 8";
    private static final Pattern IAM_MEMBER = Pattern.compile("google_[a-z0-9_]+_iam_member");
    private static final Pattern TARGET = Pattern.compile("(?m)^\\s*(secret_id|crypto_key_id|service_account_id|name|repository)\\s*=\\s*(.+)$");
    private static final Pattern OWN_RESOURCE = Pattern.compile("\\bgoogle_[a-z0-9_]+\\.[a-z0-9_]+");
    private static final Pattern NUMERIC_PIN = Pattern.compile("secret_key_ref\\s*\\{[^}]*version\\s*=\\s*\"\\d+\"");
    private static final Pattern CONSUMER_SERVICE = Pattern.compile("/services/([a-z0-9-]+)");

    private final TerraformTree tree;
    private final Path root;
    private final Path secretModule;
    private final Path serviceModule;

    DeployPolicy(TerraformTree tree) {
        this.tree = tree;
        this.root = tree.root();
        this.secretModule = root.resolve("modules/managed-secret");
        this.serviceModule = root.resolve("modules/rotor-service");
    }

    /** 1. A module made once per secret grants only on what it creates itself; shared grants are made once. */
    List<String> sharedGrantsMadeOnce() {
        List<String> v = new ArrayList<>();
        tree.in(secretModule, "resource").filter(b -> IAM_MEMBER.matcher(b.type()).matches()).forEach(b -> {
            Matcher t = TARGET.matcher(b.body());
            if (!t.find() || !OWN_RESOURCE.matcher(t.group(2)).find()) {
                v.add(b.where() + ": a per-secret grant on a resource other secrets may share (destroying one secret revokes it for all)");
            }
        });
        tree.in(root, "resource").filter(b -> IAM_MEMBER.matcher(b.type()).matches()).forEach(b -> {
            if (b.attribute("count").isPresent()) {
                v.add(b.where() + ": a shared grant made by count (the same tuple can repeat); key it by for_each over distinct tuples");
            }
        });
        return v;
    }

    /** 2. Changes that lose data stop the apply: the secret's deletion_protection, prevent_destroy on KMS. */
    List<String> destructiveChangesGuarded() {
        List<String> v = new ArrayList<>();
        tree.resources("google_secret_manager_secret").forEach(b -> {
            String dp = b.attribute("deletion_protection").orElse("false");
            if (dp.equals("false")) {
                v.add(b.where() + ": no deletion_protection (replacing the secret loses every version)");
            }
        });
        tree.all("variable").filter(b -> b.name().equals("deletion_protection") && b.dir().equals(secretModule))
                .filter(b -> !b.attribute("default").orElse("").equals("true"))
                .forEach(b -> v.add(b.where() + ": deletion_protection must default to true"));
        tree.resources("google_kms_(key_ring|crypto_key)").forEach(b -> {
            if (!b.body().matches("(?s).*prevent_destroy\\s*=\\s*true.*")) {
                v.add(b.where() + ": no prevent_destroy (a key ring cannot be deleted; a destroyed key loses its data)");
            }
        });
        return v;
    }

    /** 3. Secret Manager's service agent is created, not assumed, and its member is what gets granted. */
    List<String> serviceAgentCreated() {
        List<String> v = new ArrayList<>();
        boolean handBuilt = tree.blocks().stream().filter(b -> !b.kind().equals("variable"))
                .anyMatch(b -> b.mentions("@gcp-sa-secretmanager.iam.gserviceaccount.com"));
        if (handBuilt) {
            v.add(root + ": a hand-built Secret Manager agent email (it may not exist on a new project)");
        }
        boolean identity = tree.in(root, "resource").anyMatch(b -> b.type().equals("google_project_service_identity")
                && b.mentions("secretmanager.googleapis.com") && b.mentions("google-beta"));
        if (!identity) {
            v.add(root + ": no google_project_service_identity (google-beta) for secretmanager.googleapis.com");
        }
        tree.in(root, "module").filter(b -> b.name().equals("managed_secret"))
                .filter(b -> !b.attribute("secret_manager_agent").orElse("").contains("google_project_service_identity."))
                .forEach(b -> v.add(b.where() + ": secret_manager_agent is not the service identity's member"));
        return v;
    }

    /** 4. APIs are enabled (with cloudresourcemanager) and waited for before any module uses them. */
    List<String> apisEnabledFirst() {
        List<String> v = new ArrayList<>();
        if (!tree.text().contains("\"cloudresourcemanager.googleapis.com\"")) {
            v.add(root + ": cloudresourcemanager.googleapis.com is not enabled");
        }
        boolean wait = tree.in(root, "resource").anyMatch(b -> b.type().equals("time_sleep")
                && b.mentions("google_project_service.apis"));
        if (!wait) {
            v.add(root + ": no wait after enabling the APIs");
        }
        tree.in(root, "module").filter(b -> !b.attribute("depends_on").orElse("").contains("time_sleep."))
                .forEach(b -> v.add(b.where() + ": does not wait for the APIs (depends_on the time_sleep)"));
        tree.resources("google_project_service").filter(b -> !b.dir().equals(root))
                .forEach(b -> v.add(b.where() + ": APIs enabled inside a module race the caller's resources"));
        return v;
    }

    /** 5. Only the example configures providers; every module asks for the same provider range. */
    List<String> providersOnlyInExamples() {
        List<String> v = new ArrayList<>();
        tree.all("provider").filter(b -> !b.dir().toString().contains("examples"))
                .forEach(b -> v.add(b.where() + ": a provider block in a module (it cannot then be called with for_each, count or depends_on)"));
        tree.all("terraform").forEach(b -> {
            Matcher m = Pattern.compile("version\\s*=\\s*\"([^\"]*)\"").matcher(b.body());
            int constraints = 0;
            while (m.find()) {
                constraints++;
                boolean google = b.body().substring(0, m.start()).matches("(?s).*hashicorp/google(-beta)?\"\\s*$");
                if (google && !m.group(1).equals(PROVIDER_CONSTRAINT)) {
                    v.add(b.where() + ": google provider " + m.group(1) + ", not " + PROVIDER_CONSTRAINT);
                }
            }
            if (constraints == 0) {
                v.add(b.where() + ": no provider version constraint");
            }
        });
        return v;
    }

    /** 6. The example applies without ordering errors: grants after the services they name, no pins to unwritten versions. */
    List<String> exampleAppliesInOrder() {
        List<String> v = new ArrayList<>();
        Path example = root.resolve("examples/complete");
        List<Block> services = tree.in(example, "resource").filter(b -> b.type().equals("google_cloud_run_v2_service")).toList();
        for (Block s : services) {
            if (NUMERIC_PIN.matcher(s.body()).find() && s.attribute("count").isEmpty()) {
                v.add(s.where() + ": pins a secret version in the first apply, before Rotor has written it");
            }
        }
        String moduleText = tree.in(example, "module").map(Block::body).collect(Collectors.joining("\n"))
                + tree.in(example, "locals").map(Block::body).collect(Collectors.joining("\n"));
        Matcher c = CONSUMER_SERVICE.matcher(moduleText);
        while (c.find()) {
            String name = c.group(1);
            services.stream().filter(s -> s.attribute("name").orElse("").equals("\"" + name + "\"")).forEach(s ->
                    tree.in(example, "module").filter(m -> !m.attribute("depends_on").orElse("")
                                    .contains("google_cloud_run_v2_service." + s.name()))
                            .forEach(m -> v.add(m.where() + ": grants on consumer " + name + " without depending on it")));
        }
        return v;
    }

    /** 7. Least privilege: no role wider than the calls Rotor and Cloud Build make. */
    List<String> leastPrivilege() {
        List<String> v = new ArrayList<>();
        String text = tree.text();
        for (String wide : List.of("roles/iam.serviceAccountTokenCreator", "roles/run.developer", "roles/run.admin")) {
            if (text.contains(wide)) {
                v.add(root + ": " + wide + " is wider than needed");
            }
        }
        tree.resources("google_project_iam_custom_role").forEach(b -> {
            String perms = b.body().substring(b.body().indexOf("permissions"));
            for (String p : List.of("run.services.delete", "iam.serviceAccounts.signJwt")) {
                if (perms.contains(p)) {
                    v.add(b.where() + ": holds " + p.replace("\"", "") + ", which Rotor never uses");
                }
            }
        });
        // SecretStore.version is GetSecretVersion (Publisher.findLanded, FirstRotation.adopt, Rollback): access and
        // list do not grant it
        if (tree.resources("google_project_iam_custom_role").filter(b -> b.mentions("secretmanager.versions.access"))
                .anyMatch(b -> !b.mentions("\"secretmanager.versions.get\""))) {
            v.add(root + ": the secret rotator role lacks secretmanager.versions.get, which GetSecretVersion needs");
        }
        if (tree.resources("google_project_iam_custom_role").noneMatch(b -> b.mentions("[\"iam.serviceAccounts.getAccessToken\"]"))) {
            v.add(root + ": no custom role with only iam.serviceAccounts.getAccessToken for access tokens");
        }
        if (tree.in(root, "resource").noneMatch(b -> b.mentions("local.id_token_accounts")
                && b.mentions("\"roles/iam.serviceAccountOpenIdTokenCreator\""))) {
            v.add(root + ": id-token secrets need roles/iam.serviceAccountOpenIdTokenCreator");
        }
        if (tree.resources("google_project_iam_custom_role").noneMatch(b -> b.mentions("run.operations.get"))) {
            v.add(root + ": nothing lets Rotor wait on Cloud Run's operations (run.operations.get)");
        }
        if (!text.contains("roles/cloudkms.cryptoKeyDecrypter")) {
            v.add(root + ": accessors of envelope-encrypted secrets cannot decrypt them");
        }
        if (tree.in(root, "variable").noneMatch(b -> b.name().equals("managed_secrets") && b.mentions("scopes"))) {
            v.add(root + ": managed_secrets does not expose scopes");
        }
        return v;
    }

    /** 8. The jobs' attempt deadline follows the request timeout within Cloud Scheduler's 30 minutes; jobs can pause. */
    List<String> schedulerFollowsTimeout() {
        List<String> v = new ArrayList<>();
        String locals = tree.in(serviceModule, "locals").map(Block::body).collect(Collectors.joining("\n"));
        tree.resources("google_cloud_scheduler_job").forEach(b -> {
            String deadline = b.attribute("attempt_deadline").orElse("");
            String resolved = deadline.startsWith("local.")
                    ? locals.lines().filter(l -> l.trim().startsWith(deadline.substring(6) + " ")).findFirst().orElse("")
                    : deadline;
            if (!resolved.contains("min(var.request_timeout_seconds, 1800)")) {
                v.add(b.where() + ": attempt_deadline " + deadline + " does not follow the request timeout (at most 1800 s)");
            }
            if (!b.attribute("paused").orElse("").equals("var.paused")) {
                v.add(b.where() + ": no paused switch");
            }
        });
        return v;
    }

    /** 9. What would fail mid-apply fails at plan instead; everything the service takes can be set from the root. */
    List<String> checkedAtPlanTime() {
        List<String> v = new ArrayList<>();
        tree.in(secretModule, "resource").filter(b -> b.type().equals("google_secret_manager_secret"))
                .filter(b -> !b.body().matches("(?s).*precondition\\s*\\{\\s*condition\\s*=[^\\n]*var\\.service_account != null.*"))
                .forEach(b -> v.add(b.where() + ": no precondition that key and token kinds name a service account"));
        tree.resources("google_kms_(key_ring|crypto_key)")
                .filter(b -> !b.body().matches("(?s).*precondition\\s*\\{\\s*condition\\s*=\\s*length\\([^)]*\\)\\s*<=\\s*63.*"))
                .forEach(b -> v.add(b.where() + ": no precondition on the 63-character KMS name"));
        tree.in(secretModule, "variable").filter(b -> b.name().equals("kms_key_id") && !b.mentions("locations/global"))
                .forEach(b -> v.add(b.where() + ": kms_key_id is not checked to be in location global"));
        tree.resources("google_project_iam_custom_role")
                .filter(b -> !b.attribute("role_id").orElse("").matches(".*(var\\.service_name|local\\.role_prefix).*"))
                .forEach(b -> v.add(b.where() + ": role id " + b.attribute("role_id").orElse("?") + " is not unique per service name"));
        tree.all("resource").forEach(b -> b.attribute("service_account_id").ifPresent(id -> {
            if (id.startsWith("\"projects/") && !id.startsWith("\"projects/-/")) {
                v.add(b.where() + ": service_account_id " + id + " should be projects/-/serviceAccounts/EMAIL");
            }
        }));
        for (Path module : List.of(root, secretModule, serviceModule)) {
            if (tree.in(module, "variable").noneMatch(b -> b.name().equals("labels"))) {
                v.add(module + ": no labels input");
            }
        }
        Set<String> serviceVars = tree.in(serviceModule, "variable").map(Block::name).collect(Collectors.toCollection(TreeSet::new));
        tree.in(root, "module").filter(b -> b.name().equals("rotor_service")).forEach(b -> {
            for (String var : serviceVars) {
                if (b.attribute(var).isEmpty()) {
                    v.add(b.where() + ": does not pass " + var + " through to the service module");
                }
            }
        });
        return v;
    }

    List<String> all() {
        List<String> v = new ArrayList<>();
        v.addAll(sharedGrantsMadeOnce());
        v.addAll(destructiveChangesGuarded());
        v.addAll(serviceAgentCreated());
        v.addAll(apisEnabledFirst());
        v.addAll(providersOnlyInExamples());
        v.addAll(exampleAppliesInOrder());
        v.addAll(leastPrivilege());
        v.addAll(schedulerFollowsTimeout());
        v.addAll(checkedAtPlanTime());
        return v;
    }
}
