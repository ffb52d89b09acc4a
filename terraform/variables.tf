variable "project_id" {
  description = "Project that runs Rotor and holds the managed secrets."
  type        = string
}

variable "region" {
  description = "Region for Rotor's service, scheduler jobs, image repository and build trigger."
  type        = string
  default     = "europe-west1"
}

variable "service_name" {
  description = "Name of Rotor's Cloud Run service; also prefixes its service accounts, custom roles and jobs."
  type        = string
  default     = "rotor"
}

variable "image" {
  description = "First image of the service; null starts Google's placeholder until Cloud Build deploys Rotor."
  type        = string
  default     = null
}

variable "cpu" {
  description = "CPU limit of one instance."
  type        = string
  default     = "1"
}

variable "memory" {
  description = "Memory limit of one instance."
  type        = string
  default     = "1Gi"
}

variable "min_instances" {
  description = "Instances kept warm (0 scales to zero between scheduler calls)."
  type        = number
  default     = 0
}

variable "max_instances" {
  description = "Upper bound of instances."
  type        = number
  default     = 3
}

variable "concurrency" {
  description = "Requests one instance serves at once."
  type        = number
  default     = 10
}

variable "request_timeout_seconds" {
  description = "Request timeout of the service; the scheduler jobs' attempt deadline follows it (at most 1800 s)."
  type        = number
  default     = 900
}

variable "operator_principals" {
  description = "Emails allowed to call every /v1 route, including emergency rotation."
  type        = list(string)
  default     = []
}

variable "token_refresh_schedule" {
  description = "Cron (UTC) of the token refresh run."
  type        = string
  default     = "*/5 * * * *"
}

variable "key_rotation_schedule" {
  description = "Cron (UTC) of the key and generated-secret run."
  type        = string
  default     = "0 * * * *"
}

variable "audit_schedule" {
  description = "Cron (UTC) of the daily audit with safe repair."
  type        = string
  default     = "30 3 * * *"
}

variable "paused" {
  description = "Pause the scheduler jobs (Rotor then rotates only when called by hand)."
  type        = bool
  default     = false
}

variable "build_trigger" {
  description = "Cloud Build trigger on a connected repository (projects/P/locations/L/connections/C/repositories/R) and a branch regex; null for none."
  type = object({
    repository = string
    branch     = optional(string, "^main$")
  })
  default = null
}

variable "labels" {
  description = "Labels added to every resource that takes labels (rotor=managed is always set on secrets)."
  type        = map(string)
  default     = {}
}

variable "api_propagation_wait" {
  description = "Pause after enabling the APIs, before anything uses them."
  type        = string
  default     = "60s"
}

variable "managed_secrets" {
  description = "The secrets Rotor manages, by secret id. See modules/managed-secret for each field."
  type = map(object({
    kind                      = string
    service_account           = optional(string)
    rotate_every              = optional(string, "P30D")
    refresh_before            = optional(string, "PT15M")
    lifetime                  = optional(string, "PT1H")
    scopes                    = optional(list(string), ["https://www.googleapis.com/auth/cloud-platform"])
    audience                  = optional(string)
    grace                     = optional(string, "PT1H")
    retain                    = optional(string, "P7D")
    keep_enabled              = optional(number, 2)
    length                    = optional(number, 32)
    format                    = optional(string, "base64url")
    consumers                 = optional(list(string), [])
    gke_consumers             = optional(list(string), [])
    mig_consumers             = optional(list(string), [])
    consumer_service_accounts = optional(list(string), [])
    accessors                 = optional(list(string), [])
    envelope_key              = optional(string)
    kms_key_id                = optional(string)
    kms_rotation_period       = optional(string, "7776000s")
    deletion_protection       = optional(bool, true)
  }))
  default = {}
}

variable "operator_members" {
  description = "IAM members (user:, group:) who may impersonate Rotor's operator account to call it (docs/runbook.md)."
  type        = list(string)
  default     = []
}

variable "custom_audiences" {
  description = "Custom audiences of Rotor's Cloud Run service; Rotor accepts them beside the service URL."
  type        = list(string)
  default     = []
}

variable "page_notification_channels" {
  description = "Notification channels (projects/P/notificationChannels/ID) that page; empty shows incidents in the console only. See modules/rotor-service."
  type        = list(string)
  default     = []
}

variable "ticket_notification_channels" {
  description = "Notification channels (projects/P/notificationChannels/ID) for tickets; empty shows incidents in the console only. See modules/rotor-service."
  type        = list(string)
  default     = []
}

variable "runbook_url" {
  description = "Where the runbook is published (an https:// URL, or the default repository path); each alert links its section."
  type        = string
  default     = "docs/runbook.md"
}

variable "run_period_seconds" {
  description = "Seconds between two runs, only for a schedule cron the alerts cannot read (see modules/rotor-service)."
  type        = number
  default     = null
}

variable "create_metric_descriptors" {
  description = "Declare the metric descriptors Rotor's alerts read (false for a second Rotor in the same project)."
  type        = bool
  default     = true
}
