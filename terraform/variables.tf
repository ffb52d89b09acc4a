variable "project_id" {
  description = "Project that runs Rotor and holds the managed secrets."
  type        = string
}

variable "region" {
  description = "Region for Rotor's service, scheduler jobs and image repository."
  type        = string
  default     = "europe-west1"
}

variable "image" {
  description = "Rotor's container image (Cloud Build pushes it; later deploys are by digest)."
  type        = string
}

variable "operator_principals" {
  description = "Emails allowed to call every /v1 route, including emergency rotation."
  type        = list(string)
  default     = []
}

variable "managed_secrets" {
  description = "The secrets Rotor manages, by secret id. See modules/managed-secret for each field."
  type = map(object({
    kind                      = string
    service_account           = optional(string)
    rotate_every              = optional(string, "P30D")
    refresh_before            = optional(string, "PT15M")
    lifetime                  = optional(string, "PT1H")
    audience                  = optional(string)
    grace                     = optional(string, "PT1H")
    retain                    = optional(string, "P7D")
    keep_enabled              = optional(number, 2)
    length                    = optional(number, 32)
    format                    = optional(string, "base64url")
    consumers                 = optional(list(string), [])
    consumer_service_accounts = optional(list(string), [])
    accessors                 = optional(list(string), [])
    envelope_key              = optional(string)
    kms_key_id                = optional(string)
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
