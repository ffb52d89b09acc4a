terraform {
  required_version = ">= 1.5"
  required_providers {
    # 6.43 or later: service-account emails known at plan time and the secret's deletion_protection.
    google = {
      source  = "hashicorp/google"
      version = ">= 6.43, < 8"
    }
    # google_project_service_identity exists only in the beta provider.
    google-beta = {
      source  = "hashicorp/google-beta"
      version = ">= 6.43, < 8"
    }
    time = {
      source  = "hashicorp/time"
      version = ">= 0.9"
    }
  }
}
