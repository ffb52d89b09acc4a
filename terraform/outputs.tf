output "service_url" {
  description = "Rotor's URL; also the audience of every ID token it accepts."
  value       = module.rotor_service.service_url
}

output "runtime_service_account" {
  description = "Rotor's runtime identity."
  value       = module.rotor_service.runtime_service_account
}

output "scheduler_service_account" {
  description = "The identity Cloud Scheduler calls Rotor with."
  value       = module.rotor_service.scheduler_service_account
}

output "builder_service_account" {
  description = "The identity Cloud Build builds and deploys Rotor with (cloudbuild.yaml serviceAccount)."
  value       = module.rotor_service.builder_service_account
}

output "repository" {
  description = "Where Cloud Build pushes Rotor's images."
  value       = module.rotor_service.repository
}

output "secret_manager_agent" {
  description = "Secret Manager's service agent: grant it encrypt/decrypt on a CMEK key you bring (kms_key_id)."
  value       = google_project_service_identity.secret_manager.member
}

output "managed_secrets" {
  description = "The managed secrets' full ids, by secret id."
  value       = { for k, m in module.managed_secret : k => m.secret_id }
}

output "operator_service_account" {
  description = "The account on-call engineers impersonate to call Rotor (docs/runbook.md)."
  value       = module.rotor_service.operator_service_account
}

output "alert_policies" {
  description = "Rotor's alert policies' names, by alert."
  value       = module.rotor_service.alert_policies
}
