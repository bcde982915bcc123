package io.dindclusters.provision;

import io.dindclusters.cluster.Node;
import io.dindclusters.network.IpLiterals;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Overlay-free pod networking, as the prior art does it: on every node, a route to each other node's pod prefix
 * via that node's address on the cluster network, per family. Nodes are handled concurrently.
 */
@Component
class RoutePodPrefixesStep implements ProvisioningStep {

    private final ContainerCommands commands;

    RoutePodPrefixesStep(ContainerCommands commands) {
        this.commands = commands;
    }

    @Override
    public int stage() {
        return 300;
    }

    @Override
    public String name() {
        return "route-pod-prefixes";
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        List<Node> nodes = context.nodes();
        context.forEachConcurrently(nodes, node -> {
            for (List<String> argv : routes(node, nodes)) {
                commands.run(node.name(), argv);
            }
            context.events().log(node.name() + ": routes to " + (nodes.size() - 1) + " other node"
                    + (nodes.size() == 2 ? "" : "s") + "' pod prefixes");
            return node;
        });
    }

    /** {@code ip -4|-6 route replace PREFIX via ADDRESS} for each other node's prefixes; replace keeps it idempotent. */
    static List<List<String>> routes(Node node, List<Node> nodes) {
        List<List<String>> commands = new ArrayList<>();
        for (Node other : nodes) {
            if (other.name().equals(node.name())) {
                continue;
            }
            for (String prefix : other.podPrefixes()) {
                boolean v4 = IpLiterals.cidr(prefix).orElseThrow().isIPv4();
                String via = v4 ? other.ipv4() : other.ipv6();
                if (via != null) {
                    commands.add(List.of("ip", v4 ? "-4" : "-6", "route", "replace", prefix, "via", via));
                }
            }
        }
        return commands;
    }
}
