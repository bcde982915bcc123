package io.dindclusters.cluster;

import java.time.Instant;
import java.util.List;

/** A cluster as stored: the API view plus the optimistic-locking version. */
record ClusterRow(String id, String name, ClusterSpec spec, ClusterStatus status, String statusReason,
                  List<Node> nodes, boolean hasKubeconfig, long version, Instant createdAt, Instant updatedAt) {

    Cluster toCluster() {
        return new Cluster(id, name, spec, status, statusReason, createdAt, updatedAt, nodes, Cluster.Links.of(id));
    }
}
