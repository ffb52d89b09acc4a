# GKE and managed-instance-group consumers of this secret (docs/consumers.md). Terraform grants the Google
# side; the in-cluster RBAC (a Role that may get and patch the Deployment) is applied to the cluster itself,
# see docs/gke-rbac.yaml.

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
  gke_projects  = toset([for c in var.gke_consumers : regex("^gke:projects/([^/]+)/", c)[0]])
  mig_projects  = toset([for c in var.mig_consumers : regex("^mig:projects/([^/]+)/", c)[0]])
}

# GetCluster (endpoint and CA) needs container.clusters.get, which is also what lets Rotor's token authenticate
# to the cluster; everything inside the cluster is RBAC. GKE has no per-cluster IAM, so this is project-wide,
# and it grants no access to workloads.
resource "google_project_iam_member" "rotor_reads_gke_clusters" {
  for_each = local.gke_projects
  project  = each.value
  role     = "roles/container.clusterViewer"
  member   = local.rotor
}

# A rolling replace: read and patch the group and poll its operation. No predefined role is this narrow
# (roles/compute.instanceAdmin.v1 also deletes instances and disks), so a custom one. The group's own service
# agent creates the instances, so Rotor needs no instance permissions.
resource "google_project_iam_custom_role" "rotor_rolls_migs" {
  for_each    = local.mig_projects
  project     = each.value
  role_id     = "rotorMigRoller_${replace(var.secret_id, "-", "_")}"
  title       = "Rotor: roll the MIG consumers of ${var.secret_id}"
  permissions = ["compute.instanceGroupManagers.get", "compute.instanceGroupManagers.update", "compute.instanceTemplates.useReadOnly", "compute.zoneOperations.get", "compute.regionOperations.get"]
}

# Rotor holds that role in each project with a MIG consumer of this secret.
resource "google_project_iam_member" "rotor_rolls_migs" {
  for_each = local.mig_projects
  project  = each.value
  role     = google_project_iam_custom_role.rotor_rolls_migs[each.value].id
  member   = local.rotor
}
