# One managed secret and what belongs to it alone: its CMEK key (unless the caller brings one), the secret
# with Rotor's policy in annotations, and the grants on this secret. Grants on things several secrets can
# share (target accounts, envelope keys, consumer services) are made once by the caller (../../grants.tf):
# a per-secret google_*_iam_member on a shared resource is revoked for all when one secret is removed.

locals {
  rotor       = "serviceAccount:${var.rotor_service_account}"
  creates_key = var.kms_key_id == null
  kms_key_id  = local.creates_key ? google_kms_crypto_key.secret[0].id : var.kms_key_id
  key_ring    = "${var.secret_id}-secrets"
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
}

# A key ring cannot be deleted in Cloud KMS and a destroyed key loses every version it encrypted: a plan
# that would destroy either (a renamed secret, a dropped map entry) stops here instead.
resource "google_kms_key_ring" "secret" {
  count    = local.creates_key ? 1 : 0
  project  = var.project_id
  name     = local.key_ring
  location = "global" # automatic replication takes a global key

  lifecycle {
    prevent_destroy = true
    precondition {
      condition     = length(local.key_ring) <= 63
      error_message = "The key ring name ${local.key_ring} is longer than Cloud KMS's 63 characters: shorten the secret id to 55 or pass kms_key_id."
    }
  }
}

resource "google_kms_crypto_key" "secret" {
  count           = local.creates_key ? 1 : 0
  name            = var.secret_id
  key_ring        = google_kms_key_ring.secret[0].id
  purpose         = "ENCRYPT_DECRYPT"
  rotation_period = var.kms_rotation_period
  labels          = var.labels

  lifecycle {
    prevent_destroy = true
    precondition {
      condition     = length(var.secret_id) <= 63
      error_message = "The key name ${var.secret_id} is longer than Cloud KMS's 63 characters: shorten the secret id or pass kms_key_id."
    }
  }
}

# Secret Manager encrypts this secret's versions with the key this module made (CMEK). A key the caller
# brings (kms_key_id) may serve other secrets too, so that grant is the caller's (output secret_manager_agent).
resource "google_kms_crypto_key_iam_member" "secret_manager_uses_key" {
  count         = local.creates_key ? 1 : 0
  crypto_key_id = google_kms_crypto_key.secret[0].id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = var.secret_manager_agent
}

resource "google_secret_manager_secret" "this" {
  project     = var.project_id
  secret_id   = var.secret_id
  labels      = merge(var.labels, { rotor = "managed" })
  annotations = local.annotations
  # Destroying a version only schedules it; retain is how long it can still be recovered.
  version_destroy_ttl = "${tonumber(regex("^P(\\d+)D$", var.retain)[0]) * 86400}s"
  # Replacing or deleting the secret loses every version: changing kms_key_id (replication is ForceNew)
  # or secret_id fails the apply while this is on.
  deletion_protection = var.deletion_protection

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
    precondition {
      condition     = var.kind == "generated" || var.service_account != null
      error_message = "A ${var.kind} secret needs service_account: the account whose key or tokens it holds."
    }
    precondition {
      condition     = var.kind != "id-token" || var.audience != null
      error_message = "An id-token secret needs audience."
    }
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
