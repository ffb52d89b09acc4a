# The APIs Rotor uses, enabled before anything else, then the Secret Manager service agent, then a pause:
# the same order as terraform-google-modules/terraform-google-project-factory (modules/project_services:
# google_project_service, then google_project_service_identity depending on it; every other resource of
# modules/core_project_factory depends on that module). The pause covers the minutes an enabled API can
# still answer "has not been used in project ... or it is disabled" while the enablement propagates.
locals {
  apis = [
    "cloudresourcemanager.googleapis.com", # the provider reads the project (number, IAM) through it
    "run.googleapis.com",
    "cloudscheduler.googleapis.com",
    "secretmanager.googleapis.com",
    "cloudkms.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "monitoring.googleapis.com", # the alert policies (modules/rotor-service/alerts.tf) and Rotor's metrics
    "logging.googleapis.com",    # the log-based metric on Cloud Scheduler's attempts
  ]
}

resource "google_project_service" "apis" {
  for_each           = toset(local.apis)
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

# Secret Manager's service agent exists only once something asks for it; on a new project the CMEK grant
# would name an account that does not exist yet. Creating the identity is idempotent and never destroyed.
# Its member is "serviceAccount:" + the email the generateServiceIdentity operation returns
# (hashicorp/terraform-provider-google-beta google-beta/services/resourcemanager/resource_project_service_identity.go;
# cloud.google.com/service-usage/docs/reference/rest/v1beta1/services/generateServiceIdentity).
resource "google_project_service_identity" "secret_manager" {
  provider   = google-beta
  project    = var.project_id
  service    = "secretmanager.googleapis.com"
  depends_on = [google_project_service.apis]
}

resource "time_sleep" "apis_ready" {
  create_duration = var.api_propagation_wait
  depends_on      = [google_project_service.apis, google_project_service_identity.secret_manager]
}
