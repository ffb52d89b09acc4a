variable "project_id" {
  description = "Project of the secret."
  type        = string
}

variable "secret_id" {
  description = "Secret id: 1-255 letters, digits, '-' and '_'."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.secret_id))
    error_message = "secret_id must be 1-255 of [A-Za-z0-9_-]."
  }
}

variable "kind" {
  description = "What the versions hold: service-account-key, access-token, id-token or generated."
  type        = string
  validation {
    condition     = contains(["service-account-key", "access-token", "id-token", "generated"], var.kind)
    error_message = "kind must be service-account-key, access-token, id-token or generated."
  }
}

variable "service_account" {
  description = "The account whose key or tokens the secret holds (not for generated)."
  type        = string
  default     = null
  validation {
    condition     = var.service_account == null || can(regex("^[^@]+@[^@]+\\.iam\\.gserviceaccount\\.com$", var.service_account))
    error_message = "service_account must be a service account email."
  }
}

variable "rotate_every" {
  description = "ISO-8601 duration between rotations (keys, generated)."
  type        = string
  default     = "P30D"
  validation {
    condition     = can(regex("^P(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+S)?)?$", var.rotate_every))
    error_message = "rotate_every must be an ISO-8601 duration such as P30D or PT12H."
  }
}

variable "refresh_before" {
  description = "Tokens: refresh when less than this is left (longer than the token refresh schedule)."
  type        = string
  default     = "PT15M"
}

variable "lifetime" {
  description = "Tokens: requested lifetime (above PT1H needs the lifetime-extension organisation policy)."
  type        = string
  default     = "PT1H"
}

variable "scopes" {
  description = "Access tokens: OAuth scopes."
  type        = list(string)
  default     = ["https://www.googleapis.com/auth/cloud-platform"]
}

variable "audience" {
  description = "ID tokens: the audience."
  type        = string
  default     = null
}

variable "grace" {
  description = "How long a superseded version stays enabled."
  type        = string
  default     = "PT1H"
}

variable "retain" {
  description = "How long a disabled version is kept before it is destroyed (and its key deleted), in days."
  type        = string
  default     = "P7D"
  validation {
    condition     = can(regex("^P\\d+D$", var.retain))
    error_message = "retain must be a whole number of days, such as P7D (it also sets the secret's version_destroy_ttl)."
  }
}

variable "keep_enabled" {
  description = "How many of the newest versions stay enabled."
  type        = number
  default     = 2
  validation {
    condition     = var.keep_enabled >= 1 && var.keep_enabled <= 50
    error_message = "keep_enabled must be between 1 and 50."
  }
}

variable "length" {
  description = "Generated secrets: length in characters."
  type        = number
  default     = 32
}

variable "format" {
  description = "Generated secrets: base64url, hex or alnum."
  type        = string
  default     = "base64url"
  validation {
    condition     = contains(["base64url", "hex", "alnum"], var.format)
    error_message = "format must be base64url, hex or alnum."
  }
}

variable "consumers" {
  description = "Cloud Run services to roll after a rotation, as run:projects/P/locations/L/services/S (the caller grants Rotor on them)."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for c in var.consumers : can(regex("^run:projects/[^/]+/locations/[^/]+/services/[^/]+$", c))])
    error_message = "each consumer must be run:projects/P/locations/L/services/S."
  }
}

variable "accessors" {
  description = "Members that may read the secret's versions, e.g. serviceAccount:app@p.iam.gserviceaccount.com."
  type        = list(string)
  default     = []
}

variable "envelope_key" {
  description = "When set, Rotor also envelope-encrypts payloads with this KMS key (projects/.../cryptoKeys/...)."
  type        = string
  default     = null
}

variable "kms_key_id" {
  description = "CMEK key for the secret, in location global (automatic replication). When null, the module creates a key ring and key; when set, granting Secret Manager's agent on it is the caller's."
  type        = string
  default     = null
  validation {
    condition     = var.kms_key_id == null || can(regex("^projects/[^/]+/locations/global/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key_id))
    error_message = "kms_key_id must be projects/P/locations/global/keyRings/R/cryptoKeys/K: automatic replication takes a global key."
  }
}

variable "kms_rotation_period" {
  description = "Rotation period of a key this module creates (KMS allows 24 h to 876,000 h)."
  type        = string
  default     = "7776000s"
}

variable "deletion_protection" {
  description = "Refuse to delete or replace the secret (which loses every version). Turn off, apply, then destroy."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels for the secret and its key (rotor=managed is always added)."
  type        = map(string)
  default     = {}
}

variable "secret_manager_agent" {
  description = "Secret Manager's service agent as a member (google_project_service_identity's member); granted on a key this module creates."
  type        = string
  validation {
    # the provider leaves member empty when the API returns no identity
    condition     = startswith(var.secret_manager_agent, "serviceAccount:service-")
    error_message = "secret_manager_agent must be serviceAccount:service-NUMBER@gcp-sa-secretmanager.iam.gserviceaccount.com (google_project_service_identity.member)."
  }
}

variable "rotor_service_account" {
  description = "Rotor's runtime service account (rotor-service output runtime_service_account)."
  type        = string
}

variable "rotator_role" {
  description = "The custom role Rotor needs on the secret (rotor-service output rotator_role)."
  type        = string
}
