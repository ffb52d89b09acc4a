variable "project_id" {
  description = "Project that runs Rotor and holds its managed secrets."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id (6-30 lowercase letters, digits and hyphens)."
  }
}

variable "region" {
  description = "Region of the Cloud Run service, the scheduler jobs and the Artifact Registry repository."
  type        = string
  default     = "europe-west1"
}

variable "service_name" {
  description = "Name of Rotor's Cloud Run service."
  type        = string
  default     = "rotor"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,18}[a-z0-9]$", var.service_name))
    error_message = "service_name must be 2-20 lowercase letters, digits and hyphens (it also names the service accounts, whose ids are at most 30 characters)."
  }
}

variable "image" {
  description = "First image of the service; null runs Google's placeholder until Cloud Build deploys Rotor (by digest; later applies keep the deployed image)."
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

variable "max_instances" {
  description = "Upper bound of instances. Runs are idempotent and leased, so a few are plenty."
  type        = number
  default     = 3
  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 100
    error_message = "max_instances must be between 1 and 100."
  }
}

variable "min_instances" {
  description = "Instances kept warm (0 scales to zero between scheduler calls)."
  type        = number
  default     = 0
  validation {
    condition     = var.min_instances >= 0
    error_message = "min_instances must be 0 or more."
  }
}

variable "concurrency" {
  description = "Requests one instance serves at once."
  type        = number
  default     = 10
  validation {
    condition     = var.concurrency >= 1 && var.concurrency <= 1000
    error_message = "concurrency must be between 1 and 1000 (Cloud Run's bound)."
  }
}

variable "request_timeout_seconds" {
  description = "Request timeout; longer than a run (key verification can take minutes). The scheduler jobs' attempt deadline follows it, capped at Cloud Scheduler's 1800 s."
  type        = number
  default     = 900
  validation {
    condition     = var.request_timeout_seconds >= 300 && var.request_timeout_seconds <= 3600
    error_message = "request_timeout_seconds must be between 300 and 3600."
  }
}

variable "operator_principals" {
  description = "Emails allowed to call every /v1 route (plan, listing, emergency rotation)."
  type        = list(string)
  default     = []
}

variable "token_refresh_schedule" {
  description = "Cron (UTC) of the token refresh run: access and ID tokens."
  type        = string
  default     = "*/5 * * * *"
}

variable "key_rotation_schedule" {
  description = "Cron (UTC) of the key and generated-secret run."
  type        = string
  default     = "0 * * * *"
}

variable "audit_schedule" {
  description = "Cron (UTC) of the daily deep audit with safe repair."
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
  description = "Labels for the service and the repository (app=rotor is always added)."
  type        = map(string)
  default     = {}
}

variable "operator_members" {
  description = "IAM members (user:, group:) who may impersonate the operator account to call Rotor: they get roles/iam.serviceAccountOpenIdTokenCreator on that account only."
  type        = list(string)
  default     = []
  validation {
    condition     = length(regexall("^((user|group):[^@,\\s]+@[^@,\\s]+( |$))*$", join(" ", var.operator_members))) > 0
    error_message = "operator_members must be IAM members of the form user:EMAIL or group:EMAIL."
  }
}

variable "custom_audiences" {
  description = "Custom audiences set on the Cloud Run service (e.g. a load balancer URL); Rotor accepts them beside the service URL."
  type        = list(string)
  default     = []
  validation {
    condition     = length(regexall("^([^,\\s]+( |$))*$", join(" ", var.custom_audiences))) > 0
    error_message = "custom_audiences must be non-empty, without spaces or commas (Rotor reads them as a comma-separated list)."
  }
}

variable "page_notification_channels" {
  description = "Notification channels (projects/P/notificationChannels/ID) that page: a credential expiring within 48 hours, a token failing to refresh twice, no successful run. Empty: the incidents show only in the console."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for c in var.page_notification_channels : can(regex("^projects/[^/]+/notificationChannels/[^/]+$", c))])
    error_message = "page_notification_channels must be notification channel names: projects/PROJECT/notificationChannels/ID."
  }
}

variable "ticket_notification_channels" {
  description = "Notification channels (projects/P/notificationChannels/ID) for tickets: a credential expiring within 7 days, a rotation failing twice, a misconfigured secret, a consumer not rolled for a day, Cloud Scheduler failing to reach Rotor. Empty: the incidents show only in the console."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for c in var.ticket_notification_channels : can(regex("^projects/[^/]+/notificationChannels/[^/]+$", c))])
    error_message = "ticket_notification_channels must be notification channel names: projects/PROJECT/notificationChannels/ID."
  }
}

variable "runbook_url" {
  description = "Where the runbook is published; each alert links its section (URL#anchor). The default is its path in Rotor's repository; an https:// URL also becomes a link button in notifications."
  type        = string
  default     = "docs/runbook.md"
  validation {
    condition     = can(regex("^(https://[^#\\s]+|[^#\\s:]+\\.md)$", var.runbook_url))
    error_message = "runbook_url must be an https:// URL or a repository path ending in .md, without a #fragment."
  }
}

variable "run_period_seconds" {
  description = "Seconds between two runs, for a token_refresh_schedule or key_rotation_schedule cron the alerts cannot read (they read */N * * * *, M * * * *, M */N * * * and M H * * *); null otherwise."
  type        = number
  default     = null
  validation {
    condition     = var.run_period_seconds == null ? true : var.run_period_seconds >= 60
    error_message = "run_period_seconds must be at least 60."
  }
}

variable "create_metric_descriptors" {
  description = "Declare the metric descriptors the alerts read, so the policies can be created before Rotor first writes them. Descriptors are per project: false for a second Rotor in the same project."
  type        = bool
  default     = true
}
