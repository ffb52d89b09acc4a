package dev.rotor.deploy;

import dev.rotor.deploy.TerraformTree.Block;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 16's alerts as checks over {@code modules/rotor-service/alerts.tf}: the thresholds, who gets paged
 * and who gets a ticket, the metric types Rotor's meters become in Cloud Monitoring, the absence window of
 * three run periods, the Cloud Scheduler log metric, and runbook links that land on a real section. Each
 * check returns its violations, so a test can show it catches a tweaked tree.
 */
final class AlertPolicy {
    /**
     * micrometer-registry-stackdriver 1.16.5: StackdriverConfig.metricTypePrefix defaults to
     * "custom.googleapis.com/", and StackdriverNamingConvention turns the meter name's dots into slashes.
     */
    static final String METRIC_PREFIX = "custom.googleapis.com/";
    private static final Pattern ENTRY = Pattern.compile("(?m)^    ([a-z0-9-]+) = \\{");
    private static final Pattern ATTR = Pattern.compile("(?m)^\\s*([a-z_]+)\\s*=\\s*(.+?)\\s*$");
    private static final Pattern ANCHOR_LINK = Pattern.compile("#(alert-[a-z0-9-]+)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{2,3} (.+)$");

    /** What each per-secret alert must say: the meter, the comparison, the threshold, page or ticket. */
    record Expected(String meter, String comparison, String threshold, boolean page) {
    }

    static final Map<String, Expected> SECRET_ALERTS = Map.of(
            "credential-expires-48h", new Expected("rotor.credential.expiry", "COMPARISON_LT", "172800", true),
            "credential-expires-7d", new Expected("rotor.credential.expiry", "COMPARISON_LT", "604800", false),
            "token-rotation-failing", new Expected("rotor.rotation.failures.consecutive", "COMPARISON_GE", "2", true),
            "rotation-failing", new Expected("rotor.rotation.failures.consecutive", "COMPARISON_GE", "2", false),
            "declaration-misconfigured", new Expected("rotor.declarations.misconfigured", "COMPARISON_GT", "0", false),
            "consumer-not-rolled", new Expected("rotor.consumers.unrolled.age", "COMPARISON_GT", "86400", false));

    private final Path module;
    private final List<Block> blocks;
    private final String runbook;

    AlertPolicy(TerraformTree tree, Path runbook) {
        this.module = tree.root().resolve("modules/rotor-service");
        this.blocks = tree.blocks().stream().filter(b -> b.dir().equals(module)).toList();
        try {
            this.runbook = Files.readString(runbook);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> all() {
        List<String> v = new ArrayList<>();
        v.addAll(thresholds());
        v.addAll(channels());
        v.addAll(absenceOverThreeRunPeriods());
        v.addAll(schedulerFailuresFromItsLog());
        v.addAll(runbookLinks());
        return v;
    }

    /** The Cloud Monitoring type micrometer's Stackdriver registry writes a meter as (no statistic suffix). */
    static String metricType(String meter) {
        return METRIC_PREFIX + meter.replace('.', '/');
    }

    /** Every per-secret alert compares the expected meter with the expected threshold. */
    List<String> thresholds() {
        List<String> v = new ArrayList<>();
        String prefix = alertsLocal("metric_prefix").map(AlertPolicy::unquote).orElse("");
        Map<String, Map<String, String>> entries = secretAlerts();
        SECRET_ALERTS.forEach((name, want) -> {
            Map<String, String> e = entries.get(name);
            if (e == null) {
                v.add("secret_alerts." + name + ": missing");
                return;
            }
            String type = prefix + unquote(e.getOrDefault("metric", ""));
            if (!type.equals(metricType(want.meter()))) {
                v.add("secret_alerts." + name + ": metric " + type + " is not " + metricType(want.meter()));
            }
            if (!want.comparison().equals(unquote(e.getOrDefault("comparison", "")))) {
                v.add("secret_alerts." + name + ": comparison " + e.get("comparison") + ", expected " + want.comparison());
            }
            if (!want.threshold().equals(e.getOrDefault("threshold", ""))) {
                v.add("secret_alerts." + name + ": threshold " + e.get("threshold") + ", expected " + want.threshold());
            }
        });
        Block policy = resource("google_monitoring_alert_policy", "secret");
        if (policy == null || !policy.mentions("for_each              = local.secret_alerts")
                || !policy.mentions("comparison              = each.value.comparison")
                || !policy.mentions("threshold_value         = each.value.threshold")
                || !policy.mentions("\"metric.type=\\\"${local.metric_prefix}${each.value.metric}\\\"\"")
                || !policy.mentions("local.own_service,")) {
            v.add("google_monitoring_alert_policy.secret: does not take its metric, comparison and threshold from local.secret_alerts, on this service's series");
        }
        return v;
    }

    /** Pages go to the page channels, everything else to the ticket channels. */
    List<String> channels() {
        List<String> v = new ArrayList<>();
        Map<String, Map<String, String>> entries = secretAlerts();
        SECRET_ALERTS.forEach((name, want) -> {
            String page = entries.getOrDefault(name, Map.of()).get("page");
            if (!String.valueOf(want.page()).equals(page)) {
                v.add("secret_alerts." + name + ": page = " + page + ", expected " + want.page());
            }
        });
        channel(v, "secret", "each.value.page ? var.page_notification_channels : var.ticket_notification_channels");
        channel(v, "no_successful_run", "var.page_notification_channels");
        channel(v, "scheduler_failures", "var.ticket_notification_channels");
        return v;
    }

    private void channel(List<String> v, String name, String expected) {
        Block b = resource("google_monitoring_alert_policy", name);
        String actual = b == null ? null : b.attribute("notification_channels").orElse(null);
        if (!expected.equals(actual)) {
            v.add("google_monitoring_alert_policy." + name + ": notification_channels = " + actual + ", expected " + expected);
        }
    }

    /**
     * No ok run for three periods of the most frequent run job, read from the two crons; paused jobs page
     * nobody.
     */
    List<String> absenceOverThreeRunPeriods() {
        List<String> v = new ArrayList<>();
        if (!"3".equals(alertsLocal("missed_runs").orElse(null))) {
            v.add("local.missed_runs is " + alertsLocal("missed_runs").orElse(null) + ", expected 3");
        }
        String absent = alertsLocal("absent_after_seconds").orElse("");
        if (!absent.equals("local.missed_runs * min(local.token_period, local.key_period)")) {
            v.add("local.absent_after_seconds = " + absent + " is not missed_runs times the shorter run period");
        }
        String crons = locals().map(Block::body).orElse("");
        for (String schedule : List.of("token-refresh = var.token_refresh_schedule", "key-rotation  = var.key_rotation_schedule")) {
            if (!crons.contains(schedule)) {
                v.add("the run periods are not read from " + schedule.replaceAll(".*= ", ""));
            }
        }
        Block b = resource("google_monitoring_alert_policy", "no_successful_run");
        if (b == null || !b.mentions("condition_absent {")
                || !b.mentions("metric.type=\\\"${local.metric_prefix}run/completed\\\" AND metric.label.outcome=\\\"ok\\\"")
                || !b.mentions("AND ${local.own_service}\"")
                || !b.mentions("duration = \"${local.absent_after_seconds}s\"")) {
            v.add("google_monitoring_alert_policy.no_successful_run: no absence of this service's rotor.run.completed{outcome=ok} for local.absent_after_seconds");
        }
        if (b != null && !b.mentions("local.absent_after_seconds >= 120 && local.absent_after_seconds <= 84600")) {
            v.add("google_monitoring_alert_policy.no_successful_run: no precondition on the absence window (120 s to 23.5 h)");
        }
        if (b != null && !"!var.paused".equals(b.attribute("enabled").orElse(null))) {
            v.add("google_monitoring_alert_policy.no_successful_run: still pages while the jobs are paused");
        }
        return v;
    }

    /**
     * Scheduler attempts that failed without Rotor's answer, counted from Cloud Scheduler's executions log;
     * every metric a policy reads exists before the policy is created.
     */
    List<String> schedulerFailuresFromItsLog() {
        List<String> v = new ArrayList<>();
        Block metric = resource("google_logging_metric", "scheduler_failures");
        for (String part : List.of("cloudscheduler.googleapis.com%2Fexecutions", "resource.type=\\\"cloud_scheduler_job\\\"",
                "google.cloud.scheduler.logging.AttemptFinished", "jsonPayload.status:*", "NOT httpRequest.status=500")) {
            if (metric == null || !metric.mentions(part)) {
                v.add("google_logging_metric.scheduler_failures: its filter lacks " + part);
            }
        }
        Block policy = resource("google_monitoring_alert_policy", "scheduler_failures");
        if (policy == null || !policy.mentions("logging.googleapis.com/user/${time_sleep.scheduler_metric_ready.triggers.metric}")) {
            v.add("google_monitoring_alert_policy.scheduler_failures: does not watch the log-based metric after its wait");
        }
        Block wait = resource("time_sleep", "scheduler_metric_ready");
        if (wait == null || !wait.mentions("metric = google_logging_metric.scheduler_failures.name")
                || !"\"600s\"".equals(wait.attribute("create_duration").orElse(null))) {
            v.add("time_sleep.scheduler_metric_ready: the policy does not wait the 10 minutes a new log-based metric takes");
        }
        for (Expected e : SECRET_ALERTS.values()) {
            String suffix = metricType(e.meter()).substring(METRIC_PREFIX.length() + "rotor/".length());
            if (!Pattern.compile("\"" + Pattern.quote(suffix) + "\"\\s*= \\{ unit").matcher(locals().map(Block::body).orElse("")).find()) {
                v.add("local.alerted_meters: no descriptor for " + metricType(e.meter()) + ", so a fresh project cannot create its policy");
            }
        }
        return v;
    }

    /** Every alert's documentation links a runbook section that exists, and every alert has one. */
    List<String> runbookLinks() {
        List<String> v = new ArrayList<>();
        Set<String> anchors = anchors(runbook);
        Set<String> linked = new TreeSet<>();
        secretAlerts().forEach((name, e) -> linked.add(unquote(e.getOrDefault("anchor", ""))));
        for (Block b : blocks) {
            if (b.kind().equals("resource") && b.type().equals("google_monitoring_alert_policy")) {
                if (!b.mentions("Runbook: ${var.runbook_url}#")) {
                    v.add("google_monitoring_alert_policy." + b.name() + ": its documentation does not link the runbook");
                }
                Matcher m = ANCHOR_LINK.matcher(b.body());
                while (m.find()) {
                    linked.add(m.group(1));
                }
            }
        }
        for (String anchor : linked) {
            if (!anchors.contains(anchor)) {
                v.add("runbook link #" + anchor + " names no section of docs/runbook.md");
            }
        }
        return v;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        Matcher m = HEADING.matcher(markdown);
        while (m.find()) {
            anchors.add(m.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        }
        return anchors;
    }

    private Map<String, Map<String, String>> secretAlerts() {
        String body = locals().map(Block::body).orElse("");
        int at = body.indexOf("secret_alerts = {");
        Map<String, Map<String, String>> entries = new LinkedHashMap<>();
        if (at < 0) {
            return entries;
        }
        int end = body.indexOf("\n  }", at);
        String text = body.substring(at, end < 0 ? body.length() : end);
        Matcher m = ENTRY.matcher(text);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
            spans.add(new int[] {m.end(), text.indexOf("\n    }", m.end())});
        }
        for (int i = 0; i < names.size(); i++) {
            Map<String, String> attrs = new LinkedHashMap<>();
            Matcher a = ATTR.matcher(text.substring(spans.get(i)[0], Math.max(spans.get(i)[0], spans.get(i)[1])));
            while (a.find()) {
                attrs.put(a.group(1), a.group(2));
            }
            entries.put(names.get(i), attrs);
        }
        return entries;
    }

    private Optional<Block> locals() {
        return blocks.stream().filter(b -> b.kind().equals("locals") && b.body().contains("secret_alerts")).findFirst();
    }

    private Optional<String> alertsLocal(String name) {
        return locals().flatMap(b -> b.attribute(name));
    }

    private Block resource(String type, String name) {
        return blocks.stream().filter(b -> b.kind().equals("resource") && b.type().equals(type) && b.name().equals(name))
                .findFirst().orElse(null);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
