data "google_project" "this" {
  project_id = var.project_id
}

locals {
  rotor  = "serviceAccount:${var.rotor_service_account}"
  is_key = var.kind == "service-account-key"
  # Secret Manager's service agent encrypts versions with the CMEK key.
  secret_manager_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-secretmanager.iam.gserviceaccount.com"
  kms_key_id           = var.kms_key_id != null ? var.kms_key_id : google_kms_crypto_key.secret[0].id
  annotations = { for k, v in {
    "rotor.kind"            = var.kind
    "rotor.service-account" = var.service_account
    "rotor.rotate-every"    = var.rotate_every
    "rotor.refresh-before"  = var.refresh_before
    "rotor.lifetime"        = var.lifetime
    "rotor.scopes"          = var.kind == "access-token" ? join(",", var.scopes) : null
    "rotor.audience"        = var.audience
    "rotor.grace"           = var.grace
    "rotor.retain"          = var.retain
    "rotor.keep-enabled"    = tostring(var.keep_enabled)
    "rotor.length"          = var.kind == "generated" ? tostring(var.length) : null
    "rotor.format"          = var.kind == "generated" ? var.format : null
    "rotor.consumers"       = length(local.all_consumers) > 0 ? join(",", local.all_consumers) : null
    "rotor.encryption"      = var.envelope_key != null ? "envelope:${var.envelope_key}" : "cmek"
  } : k => v if v != null }
  consumer_services = [for c in var.consumers : regex("^run:projects/([^/]+)/locations/([^/]+)/services/([^/]+)$", c)]
}

resource "google_kms_key_ring" "secret" {
  count    = var.kms_key_id == null ? 1 : 0
  project  = var.project_id
  name     = "${var.secret_id}-secrets"
  location = "global" # automatic replication takes a global key
}

resource "google_kms_crypto_key" "secret" {
  count           = var.kms_key_id == null ? 1 : 0
  name            = var.secret_id
  key_ring        = google_kms_key_ring.secret[0].id
  purpose         = "ENCRYPT_DECRYPT"
  rotation_period = var.kms_rotation_period
}

# Secret Manager encrypts this secret's versions with the key (CMEK).
resource "google_kms_crypto_key_iam_member" "secret_manager_uses_key" {
  crypto_key_id = local.kms_key_id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = local.secret_manager_agent
}

resource "google_secret_manager_secret" "this" {
  project     = var.project_id
  secret_id   = var.secret_id
  labels      = { rotor = "managed" }
  annotations = local.annotations
  # Destroying a version only schedules it; retain is how long it can still be recovered.
  version_destroy_ttl = "${tonumber(regex("^P(\\d+)D$", var.retain)[0]) * 86400}s"

  replication {
    auto {
      customer_managed_encryption {
        kms_key_name = local.kms_key_id
      }
    }
  }

  lifecycle {
    # Terraform owns the label, the rotor.* policy annotations, replication and the destroy TTL; Rotor owns
    # the rotor.state annotation and every version alias (current, previous, its rotor-* fence and key
    # aliases) and all versions. Without this, version_aliases (Optional, not Computed in the provider)
    # shows a diff on every plan and apply deletes the aliases (docs/design.md section 1.1).
    # rotor.state cannot be protected here: an apply that changes the annotations sends the whole map as
    # read at refresh, without an etag, so it may put back an older rotor.state. Rotor detects that with
    # its fence alias and restores the state from its aliases.
    ignore_changes = [version_aliases]
  }

  depends_on = [google_kms_crypto_key_iam_member.secret_manager_uses_key]
}

# Rotor rotates this secret: the custom rotator role, on this secret only.
resource "google_secret_manager_secret_iam_member" "rotor" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.this.secret_id
  role      = var.rotator_role
  member    = local.rotor
}

# The consumers read it.
resource "google_secret_manager_secret_iam_member" "accessors" {
  for_each  = toset(var.accessors)
  project   = var.project_id
  secret_id = google_secret_manager_secret.this.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = each.value
}

# Key kinds: Rotor creates, disables and deletes keys of the target account, and of no other.
resource "google_service_account_iam_member" "rotor_manages_keys" {
  count              = local.is_key ? 1 : 0
  service_account_id = "projects/${var.project_id}/serviceAccounts/${var.service_account}"
  role               = "roles/iam.serviceAccountKeyAdmin"
  member             = local.rotor
}

# Token kinds: Rotor mints tokens of the target account, and of no other.
resource "google_service_account_iam_member" "rotor_mints_tokens" {
  count              = contains(["access-token", "id-token"], var.kind) ? 1 : 0
  service_account_id = "projects/${var.project_id}/serviceAccounts/${var.service_account}"
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.rotor
}

# Envelope encryption: Rotor encrypts with the envelope key (and decrypts to verify).
resource "google_kms_crypto_key_iam_member" "rotor_uses_envelope_key" {
  count         = var.envelope_key != null ? 1 : 0
  crypto_key_id = var.envelope_key
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = local.rotor
}

# Consumers: Rotor deploys a new revision of each consuming service...
resource "google_cloud_run_v2_service_iam_member" "rotor_rolls_consumers" {
  count    = length(local.consumer_services)
  project  = local.consumer_services[count.index][0]
  location = local.consumer_services[count.index][1]
  name     = local.consumer_services[count.index][2]
  role     = "roles/run.developer"
  member   = local.rotor
}

# ...which Cloud Run allows only to callers that may act as the service's runtime account.
resource "google_service_account_iam_member" "rotor_acts_as_consumers" {
  for_each           = toset(var.consumer_service_accounts)
  service_account_id = "projects/${var.project_id}/serviceAccounts/${each.value}"
  role               = "roles/iam.serviceAccountUser"
  member             = local.rotor
}
