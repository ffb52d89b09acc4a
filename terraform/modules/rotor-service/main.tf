data "google_project" "this" {
  project_id = var.project_id
}

# The APIs this module uses are enabled by the caller before it (../../apis.tf), with the wait
# terraform-google-modules use; a standalone caller must do the same.
locals {
  # Cloud Run's deterministic URL; Rotor checks ID tokens against it, and the scheduler jobs address it.
  service_url = "https://${var.service_name}-${data.google_project.this.number}.${var.region}.run.app"
  # Custom role ids are unique per project, so two Rotors (two service names) get their own roles.
  # A deleted custom role keeps its id for up to 44 days (7 soft-deleted, then purged within 37).
  role_prefix = replace(var.service_name, "-", "_")
  # Until Cloud Build deploys Rotor (update only, by digest), the service runs Google's sample, which
  # answers 200 on every path, so the probes pass.
  placeholder_image = "us-docker.pkg.dev/cloudrun/container/hello"
  labels            = merge(var.labels, { app = "rotor" })
}

resource "google_artifact_registry_repository" "rotor" {
  project       = var.project_id
  location      = var.region
  repository_id = var.service_name
  format        = "DOCKER"
  description   = "Rotor container images, built by Cloud Build."
  labels        = local.labels
}

# Rotor's runtime identity. It gets no project-wide admin role: each managed secret grants it the custom
# rotator role on that secret only (modules/managed-secret).
resource "google_service_account" "rotor" {
  project      = var.project_id
  account_id   = "${var.service_name}-runtime"
  display_name = "Rotor runtime"
}

# Listing the managed secrets is the one project-wide need: secretmanager.secrets.list cannot be granted on
# a single secret. This role holds that permission and nothing else.
resource "google_project_iam_custom_role" "lister" {
  project     = var.project_id
  role_id     = "${local.role_prefix}.secretLister"
  title       = "Rotor secret lister (${var.service_name})"
  description = "List secrets, to find the ones labelled rotor=managed. No access to their payloads."
  permissions = ["secretmanager.secrets.list"]

  lifecycle {
    precondition {
      condition     = length("${local.role_prefix}.operationWatcher") <= 64
      error_message = "service_name ${var.service_name} makes custom role ids longer than 64 characters."
    }
  }
}

# Rotor lists the project's secrets (finding rotor=managed ones); it reads nothing else project-wide.
resource "google_project_iam_member" "rotor_lists_secrets" {
  project = var.project_id
  role    = google_project_iam_custom_role.lister.id
  member  = "serviceAccount:${google_service_account.rotor.email}"
}

# Waiting for a consumer's new revision polls the UpdateService long-running operation
# (projects/P/locations/L/operations/ID), which belongs to the location, not to the service: a read of
# operation status, nothing else. (Which resource IAM checks run.operations.get on needs a real project
# to confirm: docs/deploy.md.)
resource "google_project_iam_custom_role" "operation_watcher" {
  project     = var.project_id
  role_id     = "${local.role_prefix}.operationWatcher"
  title       = "Rotor operation watcher (${var.service_name})"
  description = "Read the status of Cloud Run operations, to wait for a consumer's new revision."
  permissions = ["run.operations.get"]
}

# Rotor waits on the revisions it deploys on consumer services.
resource "google_project_iam_member" "rotor_watches_operations" {
  project = var.project_id
  role    = google_project_iam_custom_role.operation_watcher.id
  member  = "serviceAccount:${google_service_account.rotor.email}"
}

# Rotor writes its meters to Cloud Monitoring at the end of every run (docs/observability.md); the alerts in
# alerts.tf watch them. roles/monitoring.metricWriter holds monitoring.timeSeries.create and the metric
# descriptor permissions, and reads nothing (cloud.google.com/monitoring/access-control#monitoring-roles).
resource "google_project_iam_member" "rotor_writes_metrics" {
  project = var.project_id
  role    = "roles/monitoring.metricWriter"
  member  = "serviceAccount:${google_service_account.rotor.email}"
}

# What Rotor needs on each managed secret, bound per secret by modules/managed-secret: read and update the
# secret's annotations and aliases (state), add, read (access), get and list versions, and change their state.
# secretmanager.secrets.update is in no predefined role short of admin, hence a custom role. versions.get
# (GetSecretVersion: a version's state and creation time, never its payload) because lists lag behind writes,
# so a version just added is looked up by number (adopting an interrupted attempt's version, rollback).
resource "google_project_iam_custom_role" "rotator" {
  project     = var.project_id
  role_id     = "${local.role_prefix}.secretRotator"
  title       = "Rotor secret rotator (${var.service_name})"
  description = "Rotate one secret: state in annotations, versions added, read back, disabled and destroyed."
  permissions = [
    "secretmanager.secrets.get",
    "secretmanager.secrets.update",
    "secretmanager.versions.add",
    "secretmanager.versions.access",
    "secretmanager.versions.get",
    "secretmanager.versions.list",
    "secretmanager.versions.enable",
    "secretmanager.versions.disable",
    "secretmanager.versions.destroy",
  ]
}

# Access-token secrets: generateAccessToken and nothing else (Token Creator also signs blobs and JWTs and
# mints ID tokens). Bound per target account by the caller (../../grants.tf).
resource "google_project_iam_custom_role" "token_minter" {
  project     = var.project_id
  role_id     = "${local.role_prefix}.accessTokenMinter"
  title       = "Rotor access-token minter (${var.service_name})"
  description = "Mint OAuth access tokens of one service account (IAM Credentials generateAccessToken)."
  permissions = ["iam.serviceAccounts.getAccessToken"]
}

# Rolling a Cloud Run service: read it and deploy a revision; never delete it (roles/run.developer could).
# Bound on Rotor's consumers (../../grants.tf) and, for Cloud Build, on Rotor's own service (builder.tf).
resource "google_project_iam_custom_role" "service_roller" {
  project     = var.project_id
  role_id     = "${local.role_prefix}.serviceRoller"
  title       = "Rotor service roller (${var.service_name})"
  description = "Read a Cloud Run service and deploy a new revision of it."
  permissions = ["run.services.get", "run.services.update"]
}

resource "google_cloud_run_v2_service" "rotor" {
  project             = var.project_id
  name                = var.service_name
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL" # callers authenticate with ID tokens; Cloud Run's invoker check stays on
  deletion_protection = false                 # it holds no data; the secrets hold Rotor's state
  labels              = local.labels
  # Rotor runs in cloud-run auth mode (ROTOR_AUTH_MODE): sound only while this check is on (docs/api.md).
  invoker_iam_disabled = false
  custom_audiences     = var.custom_audiences

  template {
    service_account                  = google_service_account.rotor.email
    timeout                          = "${var.request_timeout_seconds}s"
    max_instance_request_concurrency = var.concurrency

    scaling {
      min_instance_count = var.min_instances
      max_instance_count = var.max_instances
    }

    containers {
      image = coalesce(var.image, local.placeholder_image)

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        startup_cpu_boost = true
        cpu_idle          = true
      }

      env {
        name  = "ROTOR_PROJECTS"
        value = var.project_id
      }
      env {
        name  = "ROTOR_AUTH_MODE"
        value = "cloud-run"
      }
      env {
        name  = "ROTOR_AUTH_AUDIENCES"
        value = local.audiences_env
      }
      env {
        name  = "ROTOR_AUTH_SCHEDULER_PRINCIPALS"
        value = google_service_account.scheduler.email
      }
      env {
        name  = "ROTOR_AUTH_OPERATOR_PRINCIPALS"
        value = local.operator_principals_env
      }
      env {
        name  = "ROTOR_LOGGING_PROJECT_ID"
        value = var.project_id
      }
      # the generic_task resource's location label of Rotor's time series (docs/observability.md)
      env {
        name  = "ROTOR_METRICS_LOCATION"
        value = var.region
      }

      # Cloud Run routes to a new instance only after a probe succeeds, so the period rounds every cold start
      # up to its next multiple: probe every second (the minimum; the timeout may not exceed the period),
      # for up to 60 s (cloud.google.com/run/docs/configuring/healthchecks; run v2 Probe reference).
      startup_probe {
        http_get {
          path = "/health/readiness"
        }
        initial_delay_seconds = 0
        period_seconds        = 1
        failure_threshold     = 60
        timeout_seconds       = 1
      }

      liveness_probe {
        http_get {
          path = "/health/liveness"
        }
        period_seconds    = 30
        failure_threshold = 3
        timeout_seconds   = 5
      }
    }
  }

  lifecycle {
    # Cloud Build deploys new images by digest; Terraform must not roll them back.
    ignore_changes = [template[0].containers[0].image, client, client_version]
  }
}

# The scheduler's identity: it may invoke this one service and nothing else.
resource "google_service_account" "scheduler" {
  project      = var.project_id
  account_id   = "${var.service_name}-scheduler"
  display_name = "Rotor scheduler"

  lifecycle {
    precondition {
      condition     = length("${var.service_name}-scheduler") <= 30
      error_message = "service_name ${var.service_name} is too long for its service accounts (account ids are 6-30 characters: at most 20 here)."
    }
  }
}

# Cloud Scheduler calls Rotor: invoker on this service only.
resource "google_cloud_run_v2_service_iam_member" "scheduler_invokes_rotor" {
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.rotor.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.scheduler.email}"
}

# Operators call Rotor by hand (plan, listing, emergency rotation): invoker on this service only.
resource "google_cloud_run_v2_service_iam_member" "operators_invoke_rotor" {
  for_each = toset(var.operator_principals)
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.rotor.name
  role     = "roles/run.invoker"
  member   = can(regex("gserviceaccount\\.com$", each.value)) ? "serviceAccount:${each.value}" : "user:${each.value}"
}

locals {
  # The three passes Cloud Scheduler makes. Token refresh must run more often than any secret's
  # rotor.refresh-before. An attempt may last as long as Cloud Run lets the request run, but Cloud
  # Scheduler allows HTTP targets 15 s to 30 min (attemptDeadline: hashicorp/terraform-provider-google
  # website/docs/r/cloud_scheduler_job.html.markdown, cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs).
  attempt_deadline = "${min(var.request_timeout_seconds, 1800)}s"
  jobs = {
    "token-refresh" = {
      description = "Refresh access and ID tokens before they expire."
      schedule    = var.token_refresh_schedule
      path        = "/v1/runs"
      body        = { kinds = ["access-token", "id-token"] }
      retries     = 1
      min_backoff = "10s"
      max_backoff = "60s"
    }
    "key-rotation" = {
      description = "Rotate service-account keys and generated secrets that are due, and retire old versions."
      schedule    = var.key_rotation_schedule
      path        = "/v1/runs"
      body        = { kinds = ["service-account-key", "generated"] }
      retries     = 3
      min_backoff = "30s"
      max_backoff = "300s"
    }
    "audit" = {
      description = "Daily deep check of every managed secret, with safe repair."
      schedule    = var.audit_schedule
      path        = "/v1/audits"
      body        = { repair = true }
      retries     = 2
      min_backoff = "60s"
      max_backoff = "600s"
    }
  }
}

resource "google_cloud_scheduler_job" "pass" {
  for_each         = local.jobs
  project          = var.project_id
  region           = var.region
  name             = "${var.service_name}-${each.key}"
  description      = each.value.description
  schedule         = each.value.schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = local.attempt_deadline
  paused           = var.paused

  retry_config {
    retry_count          = each.value.retries
    min_backoff_duration = each.value.min_backoff
    max_backoff_duration = each.value.max_backoff
  }

  http_target {
    http_method = "POST"
    uri         = "${local.service_url}${each.value.path}"
    body        = base64encode(jsonencode(each.value.body))
    headers     = { "Content-Type" = "application/json" }

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = local.service_url
    }
  }
}
