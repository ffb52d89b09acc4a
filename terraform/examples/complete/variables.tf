variable "project_id" {
  description = "An empty project to deploy the example into."
  type        = string
}

variable "region" {
  description = "Region of the example."
  type        = string
  default     = "europe-west1"
}

variable "operator" {
  description = "Your Google account's email: you may impersonate Rotor's operator account and call every /v1 route."
  type        = string
}

variable "with_consumer" {
  description = "Second stage: create the Cloud Run consumer once Rotor has written the password's first version."
  type        = bool
  default     = false
}
