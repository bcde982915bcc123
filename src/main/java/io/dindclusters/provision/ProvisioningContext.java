package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.docker.Labels;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/** What the steps of one cluster's provisioning share: its identity and spec, and what earlier steps made. */
public final class ProvisioningContext {

    private final String clusterId;
    private final String instance;
    private final ClusterSpec spec;
    private final ClusterEvents events;
    private final Executor parallel;
    private volatile String networkName;
    private volatile List<Node> nodes = List.of();

    ProvisioningContext(String clusterId, String instance, ClusterSpec spec, ClusterEvents events, Executor parallel) {
        this.clusterId = clusterId;
        this.instance = instance;
        this.spec = spec;
        this.events = events;
        this.parallel = parallel;
    }

    public String clusterId() {
        return clusterId;
    }

    public ClusterSpec spec() {
        return spec;
    }

    public ClusterEvents events() {
        return events;
    }

    /** For work a step does concurrently, such as creating nodes. */
    public Executor parallel() {
        return parallel;
    }

    /** The labels every object of this cluster carries, with its role. */
    public Map<String, String> labels(String role) {
        return Labels.of(instance, clusterId, role);
    }

    public String networkName() {
        return networkName;
    }

    void networkName(String networkName) {
        this.networkName = networkName;
    }

    public List<Node> nodes() {
        return nodes;
    }

    void nodes(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
    }
}
