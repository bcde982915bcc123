package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.network.IpLiterals;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Overlay-free pod networking, as the prior art does it: on every node, a route to each other node's pod prefix
 * via that node's address on the cluster network, per family.
 */
@Component
@Order(200)
class RoutePodPrefixesStep implements NodeStep {

    static final String ROUTES_FILE = "/etc/dind-clusters/pod-routes.ip";

    @Override
    public String name() {
        return "route-pod-prefixes";
    }

    @Override
    public boolean appliesTo(ClusterSpec spec) {
        return spec.workers() > 0;
    }

    @Override
    public Map<String, String> files(ClusterSpec spec, Node node, List<Node> nodes) {
        return Map.of(ROUTES_FILE, routes(node, nodes));
    }

    @Override
    public List<List<String>> commands(ClusterSpec spec, Node node, List<Node> nodes) {
        return List.of(List.of("ip", "-batch", ROUTES_FILE));
    }

    @Override
    public String summary(ClusterSpec spec, Node node, List<Node> nodes) {
        int others = nodes.size() - 1;
        return "routes to " + others + (others == 1 ? " other node's" : " other nodes'") + " pod prefixes";
    }

    /**
     * {@code ip -batch} lines, {@code route replace PREFIX via ADDRESS} for each other node's prefixes; the address
     * tells ip the family, and replace keeps it idempotent.
     */
    static String routes(Node node, List<Node> nodes) {
        StringBuilder batch = new StringBuilder();
        for (Node other : nodes) {
            if (other.name().equals(node.name())) {
                continue;
            }
            for (String prefix : other.podPrefixes()) {
                String via = IpLiterals.cidr(prefix).orElseThrow().isIPv4() ? other.ipv4() : other.ipv6();
                if (via != null) {
                    batch.append("route replace ").append(prefix).append(" via ").append(via).append('\n');
                }
            }
        }
        return batch.toString();
    }
}
