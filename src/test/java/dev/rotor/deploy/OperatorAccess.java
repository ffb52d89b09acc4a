package dev.rotor.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How operators and Cloud Scheduler reach Rotor, checked over {@code terraform/modules/rotor-service}: the
 * invoker check stays on (Rotor's {@code cloud-run} auth mode relies on it), Rotor is told that mode and every
 * audience Cloud Run accepts, people mint tokens only by impersonating the operator account (token creator
 * on that account, never project-wide), and that account is an invoker and an operator principal.
 */
final class OperatorAccess {
    private static final Pattern ENV = Pattern.compile("env\\s*\\{\\s*name\\s*=\\s*\"([A-Z_]+)\"\\s*value\\s*=\\s*([^\\n]+)");

    private OperatorAccess() {
    }

    static List<String> check(Path module) throws IOException {
        String main = Files.readString(module.resolve("main.tf"));
        String operators = Files.exists(module.resolve("operators.tf")) ? Files.readString(module.resolve("operators.tf")) : "";
        String all = main + "\n" + operators;
        List<String> v = new ArrayList<>();
        String service = block(main, "google_cloud_run_v2_service", "rotor");
        if (!service.matches("(?s).*\\binvoker_iam_disabled\\s*=\\s*false\\b.*")) {
            v.add("the service must set invoker_iam_disabled = false: cloud-run auth mode relies on the invoker check");
        }
        if (!service.matches("(?s).*\\bcustom_audiences\\s*=\\s*var\\.custom_audiences\\b.*")) {
            v.add("the service's custom_audiences must be var.custom_audiences (the audiences Rotor is told)");
        }
        expectEnv(v, service, "ROTOR_AUTH_MODE", "\"cloud-run\"");
        expectEnv(v, service, "ROTOR_AUTH_AUDIENCES", "local.audiences_env");
        expectEnv(v, service, "ROTOR_AUTH_OPERATOR_PRINCIPALS", "local.operator_principals_env");
        if (!operators.matches("(?s).*\\baudiences_env\\s*=\\s*join\\(\",\", local\\.audiences\\).*")
                || !operators.matches("(?s).*\\boperator_principals_env\\s*=\\s*join\\(\",\", local\\.operator_emails\\).*")) {
            v.add("the env values must join local.audiences and local.operator_emails");
        }
        if (!operators.matches("(?s).*\\baudiences\\s*=\\s*distinct\\(concat\\(\\[local\\.service_url\\],\\s*var\\.custom_audiences\\)\\).*")) {
            v.add("local.audiences must be the service URL and var.custom_audiences");
        }
        if (!operators.matches("(?s).*\\boperator_emails\\s*=\\s*distinct\\(concat\\(\\[google_service_account\\.operator\\.email\\].*")) {
            v.add("local.operator_emails must name the operator service account");
        }
        String mint = block(operators, "google_service_account_iam_member", "operators_mint_id_tokens");
        if (!mint.contains("roles/iam.serviceAccountOpenIdTokenCreator")
                || !mint.contains("service_account_id = google_service_account.operator.name")
                || !mint.contains("for_each           = toset(var.operator_members)")) {
            v.add("operator_members must get roles/iam.serviceAccountOpenIdTokenCreator on the operator account");
        }
        Matcher grants = Pattern.compile("resource\\s+\"(google_[a-z_]+)\"\\s+\"([a-z_]+)\"").matcher(all);
        while (grants.find()) {
            String body = block(all, grants.group(1), grants.group(2));
            if (body.contains("serviceAccountOpenIdTokenCreator") && !grants.group(1).equals("google_service_account_iam_member")) {
                v.add(grants.group(1) + "." + grants.group(2) + ": token creator beyond the operator account");
            }
        }
        String invoke = block(operators, "google_cloud_run_v2_service_iam_member", "operator_account_invokes_rotor");
        if (!invoke.contains("roles/run.invoker") || !invoke.contains("serviceAccount:${google_service_account.operator.email}")
                || !invoke.contains("google_cloud_run_v2_service.rotor.name")) {
            v.add("the operator account must hold roles/run.invoker on Rotor's service");
        }
        return v;
    }

    private static void expectEnv(List<String> v, String service, String name, String value) {
        Matcher m = ENV.matcher(service);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                if (!m.group(2).trim().equals(value)) {
                    v.add("env " + name + " is " + m.group(2).trim() + ", expected " + value);
                }
                return;
            }
        }
        v.add("env " + name + " is not set on the service");
    }

    /** The text of {@code resource "type" "name" { ... }}, braces balanced; empty when absent. */
    static String block(String text, String type, String name) {
        Matcher m = Pattern.compile("resource\\s+\"" + type + "\"\\s+\"" + name + "\"\\s*\\{").matcher(text);
        if (!m.find()) {
            return "";
        }
        int depth = 1;
        int i = m.end();
        while (i < text.length() && depth > 0) {
            char c = text.charAt(i++);
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        }
        return text.substring(m.start(), i);
    }
}
