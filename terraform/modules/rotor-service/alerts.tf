# Alert policies on Rotor's metrics, each linking the runbook section that says what to do
# (docs/runbook.md). Pages go to var.page_notification_channels, tickets to var.ticket_notification_channels;
# an empty list still creates the policy, whose incidents then show only in the console.
#
# Metric types: micrometer-registry-stackdriver (1.16.5) writes a meter as StackdriverConfig.metricTypePrefix
# ("custom.googleapis.com/" by default) followed by the name with its dots made slashes
# (StackdriverNamingConvention delegates to NamingConvention.slashes), and a gauge as one GAUGE DOUBLE point
# with no statistic suffix (StackdriverMeterRegistry.createGauge): rotor.credential.expiry is
# custom.googleapis.com/rotor/credential/expiry. Tag keys stay labels of the same names (snake case).
# (micrometer-metrics/micrometer implementations/micrometer-registry-stackdriver, tag v1.16.5.)
#
# Rotor writes its gauges once, at the end of each run (Cloud Run scales to zero), so every condition aligns
# over two periods of the run that writes the series, and reduces across series by secret: an instance that
# went away neither splits an incident nor ends one.
locals {
  metric_prefix = "custom.googleapis.com/rotor/"

  # Seconds between two runs of each /v1/runs job, read from its cron: "*/N * * * *", "* * * * *",
  # "M * * * *", "M */N * * *" and "M H * * *". Anything else needs var.run_period_seconds.
  run_crons = {
    token-refresh = var.token_refresh_schedule
    key-rotation  = var.key_rotation_schedule
  }
  cron_periods = { for job, cron in local.run_crons : job => (
    can(regex("^\\*/[0-9]+ \\* \\* \\* \\*$", cron)) ? 60 * tonumber(regex("^\\*/([0-9]+) ", cron)[0]) :
    can(regex("^\\* \\* \\* \\* \\*$", cron)) ? 60 :
    can(regex("^[0-9]+ \\* \\* \\* \\*$", cron)) ? 3600 :
    can(regex("^[0-9]+ \\*/[0-9]+ \\* \\* \\*$", cron)) ? 3600 * tonumber(regex("^[0-9]+ \\*/([0-9]+) ", cron)[0]) :
    can(regex("^[0-9]+ [0-9]+ \\* \\* \\*$", cron)) ? 86400 : null
  ) }
  run_periods = { for job, period in local.cron_periods : job => coalesce(period, var.run_period_seconds, 0) }
  # (lookup rather than an index: hcl4j, the policy tests' parser, cannot do arithmetic on an indexed for)
  token_period = lookup(local.run_periods, "token-refresh", 0)
  key_period   = lookup(local.run_periods, "key-rotation", 0)

  # Alignment over two periods, at least 60 s, Monitoring's minimum alignment period
  # (hashicorp/terraform-provider-google google/services/monitoring/resource_monitoring_alert_policy.go),
  # and at most a day, a choice: a wider window would only hold incidents open longer after a recovery.
  token_alignment = min(86400, max(60, 2 * local.token_period))
  key_alignment   = min(86400, max(60, 2 * local.key_period))

  # No successful run for three periods of the most frequent /v1/runs job. A metric-absence duration is a
  # whole number of minutes from 120 s to 23.5 h (docs.cloud.google.com/monitoring/alerts/metric-absence;
  # AlertPolicy.Condition.MetricAbsence.duration in google/monitoring/v3/alert.proto).
  missed_runs          = 3
  absent_after_seconds = local.missed_runs * min(local.token_period, local.key_period)

  token_kinds = ["access-token", "id-token"]
  tokens_only = "metric.label.kind=one_of(${join(",", [for k in local.token_kinds : "\"${k}\""])})"
  kinds_filter = {
    tokens = local.tokens_only
    others = "NOT ${local.tokens_only}"
    all    = ""
  }

  # One policy per entry, on one per-secret gauge. A token lives an hour, so tokens are left out of the
  # expiry alerts (they would always fire) and a token that stops refreshing pages through its failures.
  secret_alerts = {
    credential-expires-48h = {
      title      = "a credential expires within 48 hours"
      metric     = "credential/expiry"
      kinds      = "others"
      comparison = "COMPARISON_LT"
      threshold  = 172800
      severity   = "CRITICAL"
      page       = true
      anchor     = "alert-a-credential-expires-within-48-hours"
    }
    credential-expires-7d = {
      title      = "a credential expires within 7 days"
      metric     = "credential/expiry"
      kinds      = "others"
      comparison = "COMPARISON_LT"
      threshold  = 604800
      severity   = "WARNING"
      page       = false
      anchor     = "alert-a-credential-expires-within-7-days"
    }
    token-rotation-failing = {
      title      = "a token failed to refresh twice in a row"
      metric     = "rotation/failures/consecutive"
      kinds      = "tokens"
      comparison = "COMPARISON_GE"
      threshold  = 2
      severity   = "CRITICAL"
      page       = true
      anchor     = "alert-a-rotation-failed-twice-in-a-row"
    }
    rotation-failing = {
      title      = "a rotation failed twice in a row"
      metric     = "rotation/failures/consecutive"
      kinds      = "others"
      comparison = "COMPARISON_GE"
      threshold  = 2
      severity   = "ERROR"
      page       = false
      anchor     = "alert-a-rotation-failed-twice-in-a-row"
    }
    declaration-misconfigured = {
      title      = "a managed secret is misconfigured"
      metric     = "declarations/misconfigured"
      kinds      = "all"
      comparison = "COMPARISON_GT"
      threshold  = 0
      severity   = "WARNING"
      page       = false
      anchor     = "alert-a-managed-secret-is-misconfigured"
    }
    consumer-not-rolled = {
      title      = "a consumer has not rolled for a day"
      metric     = "consumers/unrolled/age"
      kinds      = "all"
      comparison = "COMPARISON_GT"
      threshold  = 86400
      severity   = "WARNING"
      page       = false
      anchor     = "alert-a-consumer-has-not-rolled-for-a-day"
    }
  }

  # Rotor writes its metrics on a generic_task whose job label is its Cloud Run service (K_SERVICE) and whose
  # task_id is one per instance (dev.rotor.metrics.MetricsFactory): each alert watches its own service only,
  # so two Rotors in one project do not answer for each other.
  own_service = "resource.type=\"generic_task\" AND resource.label.job=\"${var.service_name}\""

  # The gauges the alerts read (the metrics contract, docs/observability.md), by metric type suffix.
  alerted_meters = {
    "credential/expiry"             = { unit = "s", labels = ["project", "secret", "kind"], description = "Seconds until the current credential expires." }
    "rotation/failures/consecutive" = { unit = "1", labels = ["project", "secret", "kind"], description = "Failed runs in a row for this secret (0 after a success)." }
    "declarations/misconfigured"    = { unit = "1", labels = ["project", "secret", "kind"], description = "1 when the secret's declaration is refused." }
    "consumers/unrolled/age"        = { unit = "s", labels = ["project", "secret", "kind"], description = "How long the oldest consumer not rolled to the current version has waited." }
    "run/completed"                 = { unit = "1", labels = ["outcome"], description = "1 at the end of each scheduled run, by outcome (ok or failed)." }
  }

  # Runbook links: the content always names the section; a links entry needs an absolute URL.
  runbook_links = startswith(var.runbook_url, "https://")
  # The gauges' labels survive the reduction by secret, so notifications can name the secret
  # (documentation variables: cloud.google.com/monitoring/alerts/doc-variables).
  secret_line = "Secret: `$${metric.label.project}/$${metric.label.secret}` (kind `$${metric.label.kind}`)."
}

# The metrics the alerts read exist before Rotor first writes them: creating a policy on a metric type that
# does not exist yet fails with 404 "Cannot find metric(s) that match type" (seen on fresh projects:
# world-federation-of-advertisers/cross-media-measurement#4350). Declared as micrometer declares them (GAUGE,
# DOUBLE; StackdriverMeterRegistry.createMetricDescriptorIfNecessary), which then finds them listed and
# creates nothing; the provider waits until a created descriptor reads back. Descriptors are per project:
# a second Rotor in the same project sets create_metric_descriptors = false.
resource "google_monitoring_metric_descriptor" "rotor" {
  for_each     = var.create_metric_descriptors ? local.alerted_meters : {}
  project      = var.project_id
  type         = "${local.metric_prefix}${each.key}"
  metric_kind  = "GAUGE"
  value_type   = "DOUBLE"
  unit         = each.value.unit
  display_name = "rotor.${replace(each.key, "/", ".")}"
  description  = each.value.description

  dynamic "labels" {
    for_each = each.value.labels
    content {
      key        = labels.value
      value_type = "STRING"
    }
  }
}

resource "google_monitoring_alert_policy" "secret" {
  for_each              = local.secret_alerts
  project               = var.project_id
  display_name          = "Rotor (${var.service_name}): ${each.value.title}"
  combiner              = "OR"
  severity              = each.value.severity
  notification_channels = each.value.page ? var.page_notification_channels : var.ticket_notification_channels
  user_labels           = { app = "rotor", service = var.service_name }

  conditions {
    display_name = each.value.title
    condition_threshold {
      filter = join(" AND ", compact([
        "metric.type=\"${local.metric_prefix}${each.value.metric}\"",
        local.own_service,
        local.kinds_filter[each.value.kinds],
      ]))
      comparison              = each.value.comparison
      threshold_value         = each.value.threshold
      duration                = "0s"
      evaluation_missing_data = "EVALUATION_MISSING_DATA_INACTIVE"

      aggregations {
        alignment_period     = "${each.value.kinds == "tokens" ? local.token_alignment : local.key_alignment}s"
        per_series_aligner   = each.value.comparison == "COMPARISON_LT" ? "ALIGN_MIN" : "ALIGN_MAX"
        cross_series_reducer = each.value.comparison == "COMPARISON_LT" ? "REDUCE_MIN" : "REDUCE_MAX"
        group_by_fields      = ["metric.label.project", "metric.label.secret", "metric.label.kind"]
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  depends_on = [google_monitoring_metric_descriptor.rotor]

  documentation {
    subject   = "Rotor (${var.service_name}): ${each.value.title}: $${metric.label.secret}"
    mime_type = "text/markdown"
    content   = "${local.secret_line}\n\nRunbook: ${var.runbook_url}#${each.value.anchor}"
    dynamic "links" {
      for_each = local.runbook_links ? [each.value.anchor] : []
      content {
        display_name = "runbook"
        url          = "${var.runbook_url}#${links.value}"
      }
    }
  }
}

# Scheduler or service down: no run finished ok for three periods. rotor.run.completed{outcome=ok} is written
# at the end of each run that had no failed secret; reduced to one series, so instances coming and going do
# not matter. Monitoring only starts watching once a point was written after the policy was created or
# changed (docs.cloud.google.com/monitoring/alerts/metric-absence). Paused jobs run nothing: no page then.
resource "google_monitoring_alert_policy" "no_successful_run" {
  project               = var.project_id
  display_name          = "Rotor (${var.service_name}): no successful run"
  combiner              = "OR"
  severity              = "CRITICAL"
  enabled               = !var.paused
  notification_channels = var.page_notification_channels
  user_labels           = { app = "rotor", service = var.service_name }

  conditions {
    display_name = "no run finished ok for ${local.missed_runs} periods"
    condition_absent {
      filter   = "metric.type=\"${local.metric_prefix}run/completed\" AND metric.label.outcome=\"ok\" AND ${local.own_service}"
      duration = "${local.absent_after_seconds}s"

      aggregations {
        alignment_period     = "${max(60, min(local.token_period, local.key_period))}s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_MAX"
      }
    }
  }

  documentation {
    subject   = "Rotor (${var.service_name}): no successful run for ${local.absent_after_seconds} s"
    mime_type = "text/markdown"
    content   = "No Rotor run finished ok for ${local.missed_runs} periods (${local.absent_after_seconds} s).\n\nRunbook: ${var.runbook_url}#alert-no-successful-run"
    dynamic "links" {
      for_each = local.runbook_links ? ["alert-no-successful-run"] : []
      content {
        display_name = "runbook"
        url          = "${var.runbook_url}#${links.value}"
      }
    }
  }

  depends_on = [google_monitoring_metric_descriptor.rotor]

  lifecycle {
    precondition {
      condition     = local.token_period > 0 && local.key_period > 0
      error_message = "The token_refresh_schedule or key_rotation_schedule cron is not one the alerts can read (*/N * * * *, M * * * *, M */N * * *, M H * * *): set run_period_seconds."
    }
    precondition {
      condition     = local.absent_after_seconds >= 120 && local.absent_after_seconds <= 84600 && local.absent_after_seconds % 60 == 0
      error_message = "Three run periods make ${local.absent_after_seconds} s; a metric-absence alert needs whole minutes from 120 s to 23.5 h."
    }
  }
}

# Cloud Scheduler could not get Rotor's answer. Each attempt writes an AttemptFinished entry to the job's
# executions log; a failed one carries jsonPayload.status (the gRPC code) and severity ERROR (the log name,
# the cloud_scheduler_job resource and these fields as seen in exported entries of real projects; Google's
# scheduler docs name the log but do not list the fields: docs/runbook.md says how to check). A run that
# failed a secret answers 500 with its report, already alerted through rotor.rotation.failures.consecutive, so
# 500 is not counted here: what is left is Rotor unreachable, refusing the scheduler (401/403), or too slow.
resource "google_logging_metric" "scheduler_failures" {
  project     = var.project_id
  name        = "${var.service_name}/scheduler-attempt-failures"
  description = "Cloud Scheduler attempts on Rotor's jobs that ended without Rotor's answer (not 2xx, not Rotor's 500 run report)."
  filter = join(" AND ", [
    "logName=\"projects/${var.project_id}/logs/cloudscheduler.googleapis.com%2Fexecutions\"",
    "resource.type=\"cloud_scheduler_job\"",
    "(${join(" OR ", [for job in keys(local.jobs) : "resource.labels.job_id=\"${var.service_name}-${job}\""])})",
    "jsonPayload.\"@type\"=\"type.googleapis.com/google.cloud.scheduler.logging.AttemptFinished\"",
    "jsonPayload.status:*",
    "NOT httpRequest.status=500",
  ])

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key         = "status"
      value_type  = "STRING"
      description = "The attempt's status code, e.g. UNAUTHENTICATED or DEADLINE_EXCEEDED."
    }
  }
  label_extractors = {
    status = "EXTRACT(jsonPayload.status)"
  }
}

# A new log-based metric reaches Monitoring only after a while: a policy created at once fails with 404
# "If a metric was created recently, it could take up to 10 minutes to become available"
# (hashicorp/terraform-provider-google#11102, still so in 7.28). Waits once, when the metric is created.
resource "time_sleep" "scheduler_metric_ready" {
  create_duration = "600s"
  triggers = {
    metric = google_logging_metric.scheduler_failures.name
  }
}

resource "google_monitoring_alert_policy" "scheduler_failures" {
  project               = var.project_id
  display_name          = "Rotor (${var.service_name}): Cloud Scheduler cannot reach Rotor"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = var.ticket_notification_channels
  user_labels           = { app = "rotor", service = var.service_name }

  conditions {
    display_name = "${local.missed_runs} failed attempts of one job within ${local.missed_runs} periods"
    condition_threshold {
      # A log-based metric's series keep the entry's monitored resource (cloud_scheduler_job, job_id).
      filter          = "metric.type=\"logging.googleapis.com/user/${time_sleep.scheduler_metric_ready.triggers.metric}\" AND resource.type=\"cloud_scheduler_job\""
      comparison      = "COMPARISON_GE"
      threshold_value = local.missed_runs
      duration        = "0s"

      aggregations {
        alignment_period     = "${max(60, local.absent_after_seconds)}s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.job_id"]
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    subject   = "Rotor (${var.service_name}): Cloud Scheduler cannot reach Rotor ($${resource.label.job_id})"
    mime_type = "text/markdown"
    content   = "Job `$${resource.label.job_id}` failed ${local.missed_runs} or more attempts without Rotor's answer.\n\nRunbook: ${var.runbook_url}#alert-cloud-scheduler-cannot-reach-rotor"
    dynamic "links" {
      for_each = local.runbook_links ? ["alert-cloud-scheduler-cannot-reach-rotor"] : []
      content {
        display_name = "runbook"
        url          = "${var.runbook_url}#${links.value}"
      }
    }
  }
}
