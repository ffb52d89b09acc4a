package dev.rotor.deploy;

import com.bertramlabs.plugins.hcl4j.HCLParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The deployment's security policy, checked over the Terraform sources: one module directory at a time,
 * parsed with hcl4j for structure and read as text for references. Each check returns its violations, so
 * a test can also prove each check catches what it should.
 */
final class TerraformPolicy {
    private static final Pattern BASIC_ROLE = Pattern.compile("roles/(owner|editor|viewer)\\b");
    private static final Pattern PUBLIC = Pattern.compile("allUsers|allAuthenticatedUsers");
    private static final Pattern ADMIN_ROLE = Pattern.compile("roles/(secretmanager|iam|run)\\.admin|roles/iam\\.[a-zA-Z]*Admin");
    private static final Pattern VAR_REF = Pattern.compile("\\bvar\\.([a-zA-Z_][a-zA-Z0-9_]*)");
    private static final Pattern VAR_DECL = Pattern.compile("(?m)^variable\\s+\"([^\"]+)\"");
    private static final Pattern GRANT = Pattern.compile("(?m)^resource\\s+\"(google_[a-z0-9_]*iam_(member|binding|policy))\"\\s+\"([^\"]+)\"");

    private TerraformPolicy() {
    }

    /** Every violation in the module directory {@code dir} (its own .tf files). */
    static List<String> check(Path dir) throws IOException {
        List<String> violations = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
        }
        for (Path f : files) {
            String text = Files.readString(f);
            all.append(text).append('\n');
            Map<String, Object> hcl;
            try {
                hcl = new HCLParser().parse(f.toFile(), "UTF-8");
            } catch (com.bertramlabs.plugins.hcl4j.HCLParserException e) {
                violations.add(f + ": does not parse: " + e.getMessage());
                continue;
            }
            // hcl4j resolves locals: the service URL is the value of local.service_url in this file
            String serviceUrl = String.valueOf(map(hcl.get("locals")).get("service_url"));
            resources(hcl).forEach((type, byName) -> byName.forEach((name, body) ->
                    violations.addAll(checkResource(f.getFileName() + ": " + type + "." + name, type, body, serviceUrl))));
            violations.addAll(grantsCommented(f.getFileName().toString(), text));
        }
        String text = all.toString();
        Matcher basic = BASIC_ROLE.matcher(text);
        while (basic.find()) {
            violations.add(dir + ": basic role " + basic.group());
        }
        if (PUBLIC.matcher(text).find()) {
            violations.add(dir + ": a public member (allUsers or allAuthenticatedUsers)");
        }
        violations.addAll(undeclaredVariables(dir, text));
        violations.addAll(labelledManaged(dir));
        return violations;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> resources(Map<String, Object> hcl) {
        Object r = hcl.get("resource");
        return r instanceof Map<?, ?> m ? (Map<String, Map<String, Object>>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<String> checkResource(String where, String type, Object body, String serviceUrl) {
        List<String> v = new ArrayList<>();
        Map<String, Object> attrs = body instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        if (type.startsWith("google_project_iam_") || type.startsWith("google_organization_iam_")
                || type.startsWith("google_folder_iam_")) {
            if (!type.endsWith("_member") && !type.endsWith("_custom_role")) {
                v.add(where + ": an authoritative project/org IAM resource; use _member grants");
            }
            Object role = attrs.get("role");
            if (role != null && ADMIN_ROLE.matcher(role.toString()).find()) {
                v.add(where + ": project-level admin role " + role);
            }
        }
        if (type.equals("google_cloud_scheduler_job")) {
            Map<String, Object> target = map(attrs.get("http_target"));
            Map<String, Object> oidc = map(target.get("oidc_token"));
            if (oidc.isEmpty() || oidc.get("service_account_email") == null) {
                v.add(where + ": scheduler job without an OIDC token");
            } else if (!serviceUrl.equals(String.valueOf(oidc.get("audience")))) {
                v.add(where + ": scheduler job audience " + oidc.get("audience") + " is not the service URL "
                        + serviceUrl);
            }
        }
        if (type.equals("google_secret_manager_secret")) {
            Map<String, Object> replication = map(attrs.get("replication"));
            Object key = map(map(map(replication.get("auto")).get("customer_managed_encryption"))).get("kms_key_name");
            if (key == null) {
                v.add(where + ": managed secret without customer-managed encryption");
            }
        }
        return v;
    }

    /**
     * Every managed secret carries rotor=managed, written last in a merge so no caller's label overrides it
     * (hcl4j gives no value for a function call, so this reads the attribute's text).
     */
    private static List<String> labelledManaged(Path dir) {
        return TerraformTree.read(dir).in(dir, "resource").filter(b -> b.type().equals("google_secret_manager_secret"))
                .filter(b -> !b.attribute("labels").orElse("").matches("(merge\\(.*, *)?\\{ *rotor *= *\"managed\" *\\}\\)?"))
                .map(b -> b.where() + ": managed secret without the label rotor=managed").toList();
    }

    /** Every IAM grant carries a comment, just above it, that says why it is needed. */
    private static List<String> grantsCommented(String file, String text) {
        List<String> v = new ArrayList<>();
        Matcher m = GRANT.matcher(text);
        while (m.find()) {
            String before = text.substring(0, m.start()).stripTrailing();
            String lastLine = before.substring(before.lastIndexOf('\n') + 1).trim();
            if (!lastLine.startsWith("#")) {
                v.add(file + ": grant " + m.group(1) + "." + m.group(3) + " has no comment saying why");
            }
        }
        return v;
    }

    private static List<String> undeclaredVariables(Path dir, String text) {
        Set<String> declared = new LinkedHashSet<>();
        Matcher d = VAR_DECL.matcher(text);
        while (d.find()) {
            declared.add(d.group(1));
        }
        List<String> v = new ArrayList<>();
        Matcher r = VAR_REF.matcher(text);
        Set<String> seen = new LinkedHashSet<>();
        while (r.find()) {
            if (!declared.contains(r.group(1)) && seen.add(r.group(1))) {
                v.add(dir + ": var." + r.group(1) + " is used but not declared");
            }
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        if (o instanceof List<?> l && !l.isEmpty()) {
            o = l.getFirst();
        }
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
