output "service_url" {
  description = "Rotor's URL; also the audience of every ID token it accepts."
  value       = local.service_url
}

output "runtime_service_account" {
  description = "Rotor's identity: grant it roles on managed secrets and their target accounts (modules/managed-secret does)."
  value       = google_service_account.rotor.email
}

output "scheduler_service_account" {
  description = "The identity Cloud Scheduler calls Rotor with."
  value       = google_service_account.scheduler.email
}

output "rotator_role" {
  description = "The custom role Rotor needs on each managed secret."
  value       = google_project_iam_custom_role.rotator.id
}

output "repository" {
  description = "Artifact Registry repository for Rotor's images."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.rotor.repository_id}"
}

output "builder_service_account" {
  description = "The identity Cloud Build builds and deploys Rotor with."
  value       = google_service_account.builder.email
}

output "token_minter_role" {
  description = "The custom role that mints access tokens of an account (grant it on each target account)."
  value       = google_project_iam_custom_role.token_minter.id
}

output "service_roller_role" {
  description = "The custom role that deploys a revision of a Cloud Run service (grant it on each consumer)."
  value       = google_project_iam_custom_role.service_roller.id
}

output "alert_policies" {
  description = "The alert policies' names (projects/P/alertPolicies/ID), by alert."
  value = merge({ for k, p in google_monitoring_alert_policy.secret : k => p.name }, {
    no-successful-run  = google_monitoring_alert_policy.no_successful_run.name
    scheduler-failures = google_monitoring_alert_policy.scheduler_failures.name
  })
}
