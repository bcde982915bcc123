package io.dindclusters.cluster;

/** Published when a cluster has moved to DELETING: the provisioner tears it down. */
public record ClusterDeletionRequested(String clusterId) {
}
