terraform {
  required_version = ">= 1.5"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.43, < 8"
    }
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

# The providers live here, in the root configuration: ../../ is a module and declares none.
provider "google" {
  project = var.project_id
  region  = var.region
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}
