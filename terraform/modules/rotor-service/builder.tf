# Cloud Build's identity for Rotor (cloudbuild.yaml names it in serviceAccount:): it pushes images to
# this repository and deploys them to this service, and may do nothing else. Builds that run as a
# user-specified account must send their logs somewhere explicit: cloudbuild.yaml uses CLOUD_LOGGING_ONLY.
resource "google_service_account" "builder" {
  project      = var.project_id
  account_id   = "${var.service_name}-builder"
  display_name = "Rotor builder (Cloud Build)"
}

# The build pushes Rotor's image: writer on this repository only.
resource "google_artifact_registry_repository_iam_member" "builder_pushes" {
  project    = var.project_id
  location   = google_artifact_registry_repository.rotor.location
  repository = google_artifact_registry_repository.rotor.name
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.builder.email}"
}

# The build deploys the image it pushed (gcloud run services update): read and update this service only.
resource "google_cloud_run_v2_service_iam_member" "builder_deploys" {
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.rotor.name
  role     = google_project_iam_custom_role.service_roller.id
  member   = "serviceAccount:${google_service_account.builder.email}"
}

# Deploying a revision that runs as Rotor's runtime account requires acting as it.
resource "google_service_account_iam_member" "builder_acts_as_rotor" {
  service_account_id = google_service_account.rotor.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.builder.email}"
}

# A build with its own service account writes its logs to Cloud Logging as that account.
resource "google_project_iam_member" "builder_writes_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.builder.email}"
}

# Builds on every push to the branch, as the builder account, with the same substitutions as a manual
# `gcloud builds submit`. The repository connection (2nd gen, GitHub or GitLab) needs a person to
# authorise the app once: docs/deploy.md.
resource "google_cloudbuild_trigger" "rotor" {
  count           = var.build_trigger != null ? 1 : 0
  project         = var.project_id
  location        = var.region
  name            = "${var.service_name}-build"
  description     = "Test, build and deploy Rotor by digest."
  filename        = "cloudbuild.yaml"
  service_account = google_service_account.builder.id

  repository_event_config {
    repository = var.build_trigger.repository
    push {
      branch = var.build_trigger.branch
    }
  }

  substitutions = {
    _REGION     = var.region
    _REPOSITORY = google_artifact_registry_repository.rotor.repository_id
    _SERVICE    = var.service_name
  }

  depends_on = [google_project_iam_member.builder_writes_logs]
}
