terraform {
  required_version = ">= 1.5"
  required_providers {
    # 6.43 or later: service-account emails known at plan time and the secret's deletion_protection.
    google = {
      source  = "hashicorp/google"
      version = ">= 6.43, < 8"
    }
    # time_sleep: the wait before alerting on a new log-based metric (alerts.tf).
    time = {
      source  = "hashicorp/time"
      version = ">= 0.9"
    }
  }
}
