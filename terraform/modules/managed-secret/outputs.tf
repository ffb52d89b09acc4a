output "secret_id" {
  description = "The managed secret's full id (projects/P/secrets/S)."
  value       = google_secret_manager_secret.this.id
}

output "kms_key_id" {
  description = "The CMEK key that encrypts the secret's versions."
  value       = local.kms_key_id
}
