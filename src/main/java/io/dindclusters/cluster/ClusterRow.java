package io.dindclusters.cluster;

import java.time.Instant;
import java.util.List;

/** A cluster as stored: the API view plus the optimistic-locking version. */
record ClusterRow(String id, String name, String owner, String dockerHost, ClusterSpec spec, ClusterStatus status, String statusReason,
                  List<Node> nodes, List<SupportContainer> supportContainers, String apiServer,
                  String kubernetesVersion, boolean hasKubeconfig, long version, Instant createdAt, Instant updatedAt,
                  Instant expiresAt, String containersProblem, Instant runningSince, int provisioningAttempts,
                  List<String> lostAttempts, String nodeNamePrefix, String pool, Instant claimedAt) {

    /** A cluster made on demand: its containers are named after it, no pool made it. */
    ClusterRow(String id, String name, String owner, String dockerHost, ClusterSpec spec, ClusterStatus status,
               String statusReason, List<Node> nodes, List<SupportContainer> supportContainers, String apiServer,
               String kubernetesVersion, boolean hasKubeconfig, long version, Instant createdAt, Instant updatedAt,
               Instant expiresAt, String containersProblem, Instant runningSince, int provisioningAttempts,
               List<String> lostAttempts) {
        this(id, name, owner, dockerHost, spec, status, statusReason, nodes, supportContainers, apiServer,
                kubernetesVersion, hasKubeconfig, version, createdAt, updatedAt, expiresAt, containersProblem,
                runningSince, provisioningAttempts, lostAttempts, name, null, null);
    }

    Cluster toCluster() {
        return new Cluster(id, name, owner, spec, status, statusReason, provisioningAttempts, createdAt, updatedAt,
                expiresAt, dockerHost, null,
                status == ClusterStatus.RUNNING ? containersProblem : null, nodes, support(SupportContainer.DNS64),
                support(SupportContainer.NAT64), apiServer, kubernetesVersion, nodeNamePrefix, pool,
                pool != null && claimedAt != null, claimedAt, Cluster.Links.of(id));
    }

    /** Whether the cluster waits in its pool for a create to claim it. */
    boolean idleInPool() {
        return pool != null && claimedAt == null;
    }

    /** Nodes the cluster has or will have: the control plane and its workers. */
    int nodeCount() {
        return spec.workers() == null ? 1 : spec.workers() + 1;
    }

    private SupportContainer support(String role) {
        return supportContainers.stream().filter(c -> c.role().equals(role)).findFirst().orElse(null);
    }
}
