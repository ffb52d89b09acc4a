# Rotor from nothing: the service, its identities and schedules, and every managed secret with its grants.

provider "google" {
  project = var.project_id
  region  = var.region
}

module "rotor_service" {
  source              = "./modules/rotor-service"
  project_id          = var.project_id
  region              = var.region
  image               = var.image
  operator_principals = var.operator_principals
  operator_members    = var.operator_members
  custom_audiences    = var.custom_audiences
}

module "managed_secret" {
  source   = "./modules/managed-secret"
  for_each = var.managed_secrets

  project_id                = var.project_id
  secret_id                 = each.key
  kind                      = each.value.kind
  service_account           = each.value.service_account
  rotate_every              = each.value.rotate_every
  refresh_before            = each.value.refresh_before
  lifetime                  = each.value.lifetime
  audience                  = each.value.audience
  grace                     = each.value.grace
  retain                    = each.value.retain
  keep_enabled              = each.value.keep_enabled
  length                    = each.value.length
  format                    = each.value.format
  consumers                 = each.value.consumers
  consumer_service_accounts = each.value.consumer_service_accounts
  accessors                 = each.value.accessors
  envelope_key              = each.value.envelope_key
  kms_key_id                = each.value.kms_key_id
  rotor_service_account     = module.rotor_service.runtime_service_account
  rotator_role              = module.rotor_service.rotator_role
}
