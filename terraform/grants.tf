# Grants that several managed secrets can share, each made once. A google_*_iam_member resource removes its
# binding on destroy whatever else put it there (the provider's resourceIamMemberDelete subtracts the
# member from the role's binding: hashicorp/terraform-provider-google
# google/tpgiamresource/resource_iam_member.go), so a grant made per secret would be revoked for every
# secret when one is removed. Here each distinct (resource, role, member) is one resource, keyed by its
# resource, and lives as long as any secret needs it.

locals {
  rotor   = "serviceAccount:${module.rotor_service.runtime_service_account}"
  secrets = var.managed_secrets

  # Service accounts given by email may live in any project: projects/- lets IAM find them.
  key_accounts          = toset([for s in local.secrets : s.service_account if s.kind == "service-account-key"])
  access_token_accounts = toset([for s in local.secrets : s.service_account if s.kind == "access-token"])
  id_token_accounts     = toset([for s in local.secrets : s.service_account if s.kind == "id-token"])
  envelope_keys         = toset([for s in local.secrets : s.envelope_key if s.envelope_key != null])
  # "KEY MEMBER" pairs (neither contains a space)
  envelope_readers = toset(flatten([
    for s in local.secrets : [for a in s.accessors : "${s.envelope_key} ${a}"] if s.envelope_key != null
  ]))
  consumer_services = { for c in distinct(flatten([for s in local.secrets : s.consumers])) :
  c => regex("^run:projects/([^/]+)/locations/([^/]+)/services/([^/]+)$", c) }
  consumer_accounts = toset(flatten([for s in local.secrets : s.consumer_service_accounts]))
  gke_projects = toset(flatten([for s in local.secrets :
  [for c in s.gke_consumers : regex("^gke:projects/([^/]+)/", c)[0]]]))
  mig_projects = toset(flatten([for s in local.secrets :
  [for c in s.mig_consumers : regex("^mig:projects/([^/]+)/", c)[0]]]))
}

# Key kinds: Rotor creates, disables and deletes keys of the target accounts, and of no other.
resource "google_service_account_iam_member" "rotor_manages_keys" {
  for_each           = local.key_accounts
  service_account_id = "projects/-/serviceAccounts/${each.value}"
  role               = "roles/iam.serviceAccountKeyAdmin"
  member             = local.rotor
}

# Access tokens: generateAccessToken only (a custom role; Token Creator would also sign blobs and JWTs).
resource "google_service_account_iam_member" "rotor_mints_access_tokens" {
  for_each           = local.access_token_accounts
  service_account_id = "projects/-/serviceAccounts/${each.value}"
  role               = module.rotor_service.token_minter_role
  member             = local.rotor
}

# ID tokens: generateIdToken only, which is what the OpenID Connect Identity Token Creator role holds.
resource "google_service_account_iam_member" "rotor_mints_id_tokens" {
  for_each           = local.id_token_accounts
  service_account_id = "projects/-/serviceAccounts/${each.value}"
  role               = "roles/iam.serviceAccountOpenIdTokenCreator"
  member             = local.rotor
}

# Envelope encryption: Rotor encrypts with the envelope key (and decrypts to verify).
resource "google_kms_crypto_key_iam_member" "rotor_uses_envelope_keys" {
  for_each      = local.envelope_keys
  crypto_key_id = each.value
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = local.rotor
}

# Readers of an envelope-encrypted secret get its plaintext only by decrypting with the envelope key.
resource "google_kms_crypto_key_iam_member" "accessors_decrypt_envelopes" {
  for_each      = local.envelope_readers
  crypto_key_id = split(" ", each.value)[0]
  role          = "roles/cloudkms.cryptoKeyDecrypter"
  member        = split(" ", each.value)[1]
}

# Consumers: Rotor reads and updates each consuming service to deploy a revision (never deletes it).
resource "google_cloud_run_v2_service_iam_member" "rotor_rolls_consumers" {
  for_each = local.consumer_services
  project  = each.value[0]
  location = each.value[1]
  name     = each.value[2]
  role     = module.rotor_service.service_roller_role
  member   = local.rotor
}

# ...which Cloud Run allows only to callers that may act as the service's runtime account.
resource "google_service_account_iam_member" "rotor_acts_as_consumers" {
  for_each           = local.consumer_accounts
  service_account_id = "projects/-/serviceAccounts/${each.value}"
  role               = "roles/iam.serviceAccountUser"
  member             = local.rotor
}

# GKE consumers: GetCluster (endpoint and CA) needs container.clusters.get, which is also what lets Rotor's token
# authenticate to the cluster; everything inside the cluster is RBAC (docs/gke-rbac.yaml). GKE has no
# per-cluster IAM, so this is per project, and it grants no access to workloads.
resource "google_project_iam_member" "rotor_reads_gke_clusters" {
  for_each = local.gke_projects
  project  = each.value
  role     = "roles/container.clusterViewer"
  member   = local.rotor
}

# MIG consumers: a rolling replace reads and patches the group and polls its operation. No predefined role is
# this narrow (roles/compute.instanceAdmin.v1 also deletes instances and disks), so a custom one in each project
# with a consumer group, named for this Rotor service. The group's own service agent creates the instances.
resource "google_project_iam_custom_role" "mig_roller" {
  for_each    = local.mig_projects
  project     = each.value
  role_id     = "${replace(var.service_name, "-", "_")}.migRoller"
  title       = "Rotor MIG roller (${var.service_name})"
  description = "Rolling-replace the managed instance groups that consume Rotor's secrets."
  permissions = ["compute.instanceGroupManagers.get", "compute.instanceGroupManagers.update", "compute.instanceTemplates.useReadOnly", "compute.zoneOperations.get", "compute.regionOperations.get"]
}

# Rotor holds that role in each project with a MIG consumer.
resource "google_project_iam_member" "rotor_rolls_migs" {
  for_each = local.mig_projects
  project  = each.value
  role     = google_project_iam_custom_role.mig_roller[each.value].id
  member   = local.rotor
}
