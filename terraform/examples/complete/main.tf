# Every kind of managed secret, and a Cloud Run service that consumes one by pinned version.
#
# One apply builds everything but the consumer. The consumer is a second stage, and must be: Cloud Run
# refuses a revision whose secret reference names a version that does not exist, and the password's first
# version is written by Rotor at its first run (Terraform never writes versions: Rotor owns them). So:
#   terraform apply                            # Rotor, the secrets, the grants
#   gcloud builds submit ...                   # docs/deploy.md step 2: Rotor's image replaces the placeholder
#   gcloud scheduler jobs run rotor-key-rotation --location REGION   # writes version 1
#   terraform apply -var with_consumer=true    # the consumer, pinned to version 1, and Rotor's grants on it

resource "google_service_account" "app" {
  project      = var.project_id
  account_id   = "example-app"
  display_name = "Example application"
}

resource "google_service_account" "batch" {
  project      = var.project_id
  account_id   = "example-batch"
  display_name = "Example batch job (its key is rotated)"
}

locals {
  consumer = "run:projects/${var.project_id}/locations/${var.region}/services/example-api"
}

# The consumer: reads the database password Rotor rotates. Rotor moves the pinned version and waits for
# the new revision; the version number here is only the first one.
resource "google_cloud_run_v2_service" "api" {
  count               = var.with_consumer ? 1 : 0
  project             = var.project_id
  name                = "example-api"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  deletion_protection = false

  template {
    service_account = google_service_account.app.email
    containers {
      image = "us-docker.pkg.dev/cloudrun/container/hello"
      env {
        name = "DB_PASSWORD"
        value_source {
          secret_key_ref {
            secret  = "example-db-password"
            version = "1"
          }
        }
      }
    }
  }

  lifecycle {
    # Rotor moves the pinned version and stamps revisions; Terraform must not undo it.
    ignore_changes = [template[0].containers[0].env, template[0].annotations]
  }
}

module "rotor" {
  source           = "../.."
  project_id       = var.project_id
  region           = var.region
  operator_members = ["user:${var.operator}"] # you impersonate the operator account (docs/runbook.md)
  labels           = { example = "complete" }

  managed_secrets = {
    "example-db-password" = {
      kind                      = "generated"
      rotate_every              = "P30D"
      format                    = "alnum"
      length                    = 40
      consumers                 = var.with_consumer ? [local.consumer] : []
      consumer_service_accounts = var.with_consumer ? [google_service_account.app.email] : []
      accessors                 = ["serviceAccount:${google_service_account.app.email}"]
    }
    "example-batch-key" = {
      kind            = "service-account-key"
      service_account = google_service_account.batch.email
      rotate_every    = "P30D"
      grace           = "PT6H"
      accessors       = ["serviceAccount:${google_service_account.app.email}"]
    }
    "example-access-token" = {
      kind            = "access-token"
      service_account = google_service_account.batch.email
      lifetime        = "PT1H"
      refresh_before  = "PT15M"
      scopes          = ["https://www.googleapis.com/auth/cloud-platform"]
      accessors       = ["serviceAccount:${google_service_account.app.email}"]
    }
    "example-id-token" = {
      kind            = "id-token"
      service_account = google_service_account.batch.email
      audience        = "https://backend.example.com"
      accessors       = ["serviceAccount:${google_service_account.app.email}"]
    }
  }

  # Rotor's grant on the consumer names the service, so it must exist first (stage two).
  depends_on = [google_cloud_run_v2_service.api]
}

output "rotor_url" {
  description = "Rotor's URL."
  value       = module.rotor.service_url
}
