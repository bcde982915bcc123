package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import java.util.List;
import java.util.Map;

/**
 * Setup every node of a cluster needs besides its container. It runs inside create-nodes, on each node as soon as
 * that node has started (files, then commands, in one exec: {@link NodeSetup}), rather than as a stage of its own,
 * so no node waits for the others. It works from the planned nodes, whose addresses are fixed before any container
 * exists. Node steps run in their {@code @Order}.
 */
interface NodeStep {

    /** Short kebab-case name, shown in the node's event line. */
    String name();

    boolean appliesTo(ClusterSpec spec);

    /** Files written into the node before the commands run, by absolute path; rendered from validated values only. */
    Map<String, String> files(ClusterSpec spec, Node node, List<Node> nodes);

    /** Commands run on the node, in order, once it has started: argument arrays, never a shell line. */
    List<List<String>> commands(ClusterSpec spec, Node node, List<Node> nodes);

    /** What the step did on the node, for the cluster's events. */
    String summary(ClusterSpec spec, Node node, List<Node> nodes);
}
