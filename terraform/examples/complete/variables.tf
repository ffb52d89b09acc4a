variable "project_id" {
  description = "An empty project to deploy the example into."
  type        = string
}

variable "region" {
  description = "Region of the example."
  type        = string
  default     = "europe-west1"
}

variable "image" {
  description = "Rotor's image, as pushed by cloudbuild.yaml."
  type        = string
}

variable "operator" {
  description = "Your Google account's email: you may impersonate Rotor's operator account and call every /v1 route."
  type        = string
}
