package io.dindclusters.cluster;

import java.util.List;

/** What runs on one Docker host: its live clusters and their nodes, for placement, allocation and the host list. */
record DockerHostLoad(List<ClusterRow> clusters, int nodes) {

    /** @param live clusters holding containers now, on any host */
    static DockerHostLoad of(String host, List<ClusterRow> live) {
        List<ClusterRow> on = live.stream().filter(r -> r.dockerHost().equals(host)).toList();
        return new DockerHostLoad(on, on.stream().mapToInt(ClusterRow::nodeCount).sum());
    }
}
