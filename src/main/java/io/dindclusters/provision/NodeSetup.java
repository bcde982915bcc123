package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link NodeStep}s of a cluster: their files go into each node before it starts; their commands run on a node
 * once it may be touched. That is the moment it started for {@code bootstrap: none}, but only once its systemd runs
 * for a kind node, whose entrypoint still needs the node's IPv4 default route and rewrites its resolv.conf until then.
 */
final class NodeSetup {

    private final List<NodeStep> steps;
    private final ClusterSpec spec;
    private final List<Node> nodes;

    NodeSetup(List<NodeStep> all, ClusterSpec spec, List<Node> nodes) {
        this.steps = all.stream().filter(s -> s.appliesTo(spec)).toList();
        this.spec = spec;
        this.nodes = nodes;
    }

    Map<String, String> files(Node node) {
        Map<String, String> files = new TreeMap<>();
        steps.forEach(s -> files.putAll(s.files(spec, node, nodes)));
        return files;
    }

    /** Runs every step's commands on the node, in order, and logs a line per step. */
    void apply(ProvisioningContext context, Node node) throws StepFailedException {
        for (NodeStep step : steps) {
            for (List<String> argv : step.commands(spec, node, nodes)) {
                try {
                    context.commands().run(node.name(), argv);
                } catch (StepFailedException e) {
                    throw new StepFailedException(step.name() + ": " + e.getMessage()
                            + NodeLogs.tail(context, node.name()));
                }
            }
            context.events().log(node.name() + " " + step.name() + ": " + step.summary(spec, node, nodes));
        }
    }
}
