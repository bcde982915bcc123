package io.dindclusters.provision;

import io.dindclusters.cluster.Node;
import io.dindclusters.docker.DockerEngine;
import io.dindclusters.docker.ExecResult;
import io.dindclusters.network.IpLiterals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Overlay-free pod networking, as the prior art does it: on every node, a route to each other node's pod prefix
 * via that node's address on the cluster network, per family. Nodes are handled concurrently.
 */
@Component
@Order(250)
class RoutePodPrefixesStep implements ProvisioningStep {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final DockerEngine engine;

    RoutePodPrefixesStep(DockerEngine engine) {
        this.engine = engine;
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
                ExecResult result = engine.exec(node.name(), argv, COMMAND_TIMEOUT, line -> { });
                if (!result.succeeded()) {
                    throw new StepFailedException("on " + node.name() + ", " + String.join(" ", argv) + " exited "
                            + result.exitCode() + ": " + result.output().strip());
                }
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
