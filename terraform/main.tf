# Rotor from nothing: the APIs (apis.tf), the service with its identities, schedules and build, every
# managed secret, and the grants several secrets share (grants.tf). No provider block: this directory is
# also called as a module (see examples/complete for the providers).

module "rotor_service" {
  source = "./modules/rotor-service"

  project_id              = var.project_id
  region                  = var.region
  service_name            = var.service_name
  image                   = var.image
  cpu                     = var.cpu
  memory                  = var.memory
  min_instances           = var.min_instances
  max_instances           = var.max_instances
  concurrency             = var.concurrency
  request_timeout_seconds = var.request_timeout_seconds
  operator_principals     = var.operator_principals
  operator_members        = var.operator_members
  custom_audiences        = var.custom_audiences
  token_refresh_schedule  = var.token_refresh_schedule
  key_rotation_schedule   = var.key_rotation_schedule
  audit_schedule          = var.audit_schedule
  paused                  = var.paused
  build_trigger           = var.build_trigger
  labels                  = var.labels

  page_notification_channels   = var.page_notification_channels
  ticket_notification_channels = var.ticket_notification_channels
  runbook_url                  = var.runbook_url
  run_period_seconds           = var.run_period_seconds
  create_metric_descriptors    = var.create_metric_descriptors

  depends_on = [time_sleep.apis_ready]
}

module "managed_secret" {
  source   = "./modules/managed-secret"
  for_each = var.managed_secrets

  project_id            = var.project_id
  secret_id             = each.key
  kind                  = each.value.kind
  service_account       = each.value.service_account
  rotate_every          = each.value.rotate_every
  refresh_before        = each.value.refresh_before
  lifetime              = each.value.lifetime
  scopes                = each.value.scopes
  audience              = each.value.audience
  grace                 = each.value.grace
  retain                = each.value.retain
  keep_enabled          = each.value.keep_enabled
  length                = each.value.length
  format                = each.value.format
  consumers             = each.value.consumers
  gke_consumers         = each.value.gke_consumers
  mig_consumers         = each.value.mig_consumers
  accessors             = each.value.accessors
  envelope_key          = each.value.envelope_key
  kms_key_id            = each.value.kms_key_id
  kms_rotation_period   = each.value.kms_rotation_period
  deletion_protection   = each.value.deletion_protection
  labels                = var.labels
  secret_manager_agent  = google_project_service_identity.secret_manager.member
  rotor_service_account = module.rotor_service.runtime_service_account
  rotator_role          = module.rotor_service.rotator_role

  depends_on = [time_sleep.apis_ready]
}
