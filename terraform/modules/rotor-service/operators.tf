# People call Rotor through an operator service account. A user account cannot mint an ID token whose
# audience is the service URL (`gcloud auth print-identity-token --audiences` needs a service account), and
# Rotor accepts only that audience. So on-call engineers impersonate this account:
#   gcloud auth print-identity-token --impersonate-service-account=OPERATOR_SA --audiences=SERVICE_URL --include-email
# (docs/runbook.md). Impersonation is logged in the account's Data Access audit logs when enabled.
resource "google_service_account" "operator" {
  project      = var.project_id
  account_id   = "${var.service_name}-operator"
  display_name = "Rotor operator (impersonated by on-call engineers)"
  description  = "Mints the ID tokens operators call Rotor with; it holds no role but run.invoker on Rotor."
}

# The listed humans or groups may mint ID tokens as the operator account, on this one account only.
resource "google_service_account_iam_member" "operators_mint_id_tokens" {
  for_each           = toset(var.operator_members)
  service_account_id = google_service_account.operator.name
  role               = "roles/iam.serviceAccountOpenIdTokenCreator"
  member             = each.value
}

# The operator account calls Rotor by hand (plan, listing, emergency rotation): invoker on this service only.
resource "google_cloud_run_v2_service_iam_member" "operator_account_invokes_rotor" {
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_service.rotor.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.operator.email}"
}

locals {
  # What Rotor accepts as aud (ROTOR_AUTH_AUDIENCES): the deterministic run.app URL and the service's custom
  # audiences, which Cloud Run's front end accepts too (Service.custom_audiences).
  audiences = distinct(concat([local.service_url], var.custom_audiences))
  # Who may call every route (ROTOR_AUTH_OPERATOR_PRINCIPALS): the operator account and any listed emails.
  operator_emails = distinct(concat([google_service_account.operator.email], var.operator_principals))
  # Rotor reads both lists as comma-separated environment variables
  audiences_env           = join(",", local.audiences)
  operator_principals_env = join(",", local.operator_emails)
}

output "operator_service_account" {
  description = "The account on-call engineers impersonate to call Rotor (docs/runbook.md)."
  value       = google_service_account.operator.email
}

output "audiences" {
  description = "Every aud Rotor accepts: the service URL and the custom audiences."
  value       = local.audiences
}
