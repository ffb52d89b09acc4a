data "google_project" "this" {
  project_id = var.project_id
}

locals {
  # Cloud Run's deterministic URL; Rotor checks ID tokens against it, and the scheduler jobs address it.
  service_url = "https://${var.service_name}-${data.google_project.this.number}.${var.region}.run.app"
  apis = [
    "run.googleapis.com",
    "cloudscheduler.googleapis.com",
    "secretmanager.googleapis.com",
    "cloudkms.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
  ]
}

resource "google_project_service" "apis" {
  for_each           = toset(local.apis)
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

resource "google_artifact_registry_repository" "rotor" {
  project       = var.project_id
  location      = var.region
  repository_id = var.service_name
  format        = "DOCKER"
  description   = "Rotor container images, built by Cloud Build."
  depends_on    = [google_project_service.apis]
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
  role_id     = "rotorSecretLister"
  title       = "Rotor secret lister"
  description = "List secrets, to find the ones labelled rotor=managed. No access to their payloads."
  permissions = ["secretmanager.secrets.list"]
}

# Rotor lists the project's secrets (finding rotor=managed ones); it reads nothing else project-wide.
resource "google_project_iam_member" "rotor_lists_secrets" {
  project = var.project_id
  role    = google_project_iam_custom_role.lister.id
  member  = "serviceAccount:${google_service_account.rotor.email}"
}

# What Rotor needs on each managed secret, bound per secret by modules/managed-secret: read and update the
# secret's annotations and aliases (state), add, read and change versions. secretmanager.secrets.update is
# in no predefined role short of admin, hence a custom role.
resource "google_project_iam_custom_role" "rotator" {
  project     = var.project_id
  role_id     = "rotorSecretRotator"
  title       = "Rotor secret rotator"
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

resource "google_cloud_run_v2_service" "rotor" {
  project             = var.project_id
  name                = var.service_name
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL" # callers authenticate with ID tokens; Cloud Run's invoker check stays on
  deletion_protection = false
  # Rotor runs in cloud-run auth mode (ROTOR_AUTH_MODE): sound only while this check is on (docs/api.md).
  invoker_iam_disabled = false
  custom_audiences     = var.custom_audiences

  template {
    service_account                  = google_service_account.rotor.email
    timeout                          = "${var.request_timeout_seconds}s"
    max_instance_request_concurrency = 10

    scaling {
      min_instance_count = 0
      max_instance_count = var.max_instances
    }

    containers {
      image = var.image

      resources {
        limits = {
          cpu    = "1"
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

      startup_probe {
        http_get {
          path = "/health/readiness"
        }
        initial_delay_seconds = 0
        period_seconds        = 2
        failure_threshold     = 30
        timeout_seconds       = 2
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

  depends_on = [google_project_service.apis]
}

# The scheduler's identity: it may invoke this one service and nothing else.
resource "google_service_account" "scheduler" {
  project      = var.project_id
  account_id   = "${var.service_name}-scheduler"
  display_name = "Rotor scheduler"
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
  # rotor.refresh-before; attempt deadlines cover a whole run (key verification can take minutes).
  jobs = {
    "token-refresh" = {
      description = "Refresh access and ID tokens before they expire."
      schedule    = var.token_refresh_schedule
      path        = "/v1/runs"
      body        = { kinds = ["access-token", "id-token"] }
      deadline    = "180s"
      retries     = 1
      min_backoff = "10s"
      max_backoff = "60s"
    }
    "key-rotation" = {
      description = "Rotate service-account keys and generated secrets that are due, and retire old versions."
      schedule    = var.key_rotation_schedule
      path        = "/v1/runs"
      body        = { kinds = ["service-account-key", "generated"] }
      deadline    = "900s"
      retries     = 3
      min_backoff = "30s"
      max_backoff = "300s"
    }
    "audit" = {
      description = "Daily deep check of every managed secret, with safe repair."
      schedule    = var.audit_schedule
      path        = "/v1/audits"
      body        = { repair = true }
      deadline    = "900s"
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
  attempt_deadline = each.value.deadline

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

  depends_on = [google_project_service.apis]
}
