output "service_url" {
  description = "Rotor's URL."
  value       = module.rotor_service.service_url
}

output "runtime_service_account" {
  description = "Rotor's runtime identity."
  value       = module.rotor_service.runtime_service_account
}

output "repository" {
  description = "Where Cloud Build pushes Rotor's images."
  value       = module.rotor_service.repository
}

output "managed_secrets" {
  description = "The managed secrets' ids."
  value       = { for k, m in module.managed_secret : k => m.secret_id }
}

output "operator_service_account" {
  description = "The account on-call engineers impersonate to call Rotor (docs/runbook.md)."
  value       = module.rotor_service.operator_service_account
}
