# GKE and managed-instance-group consumers of this secret (docs/consumers.md). Their grants are shared by
# every secret with a consumer in the same project, so the root makes them once (grants.tf); the in-cluster
# RBAC (a Role that may get and patch the Deployment) is applied to the cluster itself, see docs/gke-rbac.yaml.

variable "gke_consumers" {
  description = "GKE Deployments to restart after a rotation, as gke:projects/P/locations/L/clusters/C/namespaces/N/deployments/D."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for c in var.gke_consumers : can(regex("^gke:projects/[^/]+/locations/[^/]+/clusters/[^/]+/namespaces/[^/]+/deployments/[^/]+$", c))])
    error_message = "each GKE consumer must be gke:projects/P/locations/L/clusters/C/namespaces/N/deployments/D."
  }
}

variable "mig_consumers" {
  description = "Managed instance groups to replace after a rotation, as mig:projects/P/zones/Z/instanceGroupManagers/M (or regions/R)."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for c in var.mig_consumers : can(regex("^mig:projects/[^/]+/(zones|regions)/[^/]+/instanceGroupManagers/[^/]+$", c))])
    error_message = "each MIG consumer must be mig:projects/P/zones/Z/instanceGroupManagers/M or mig:projects/P/regions/R/instanceGroupManagers/M."
  }
}

locals {
  all_consumers = concat(var.consumers, var.gke_consumers, var.mig_consumers)
}
