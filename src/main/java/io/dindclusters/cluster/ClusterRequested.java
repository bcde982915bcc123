package io.dindclusters.cluster;

/** Published when a new cluster's row is committed: the provisioner picks it up. */
public record ClusterRequested(String clusterId) {
}
