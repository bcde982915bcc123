package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.docker.ExecResult;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@link NodeStep}s of a cluster: their files go into each node before it starts; their commands run on a node
 * once it may be touched. That is the moment it started for {@code bootstrap: none}, but only once its systemd runs
 * for a kind node, whose entrypoint still needs the node's IPv4 default route and rewrites its resolv.conf until then.
 * <p>
 * Every step's commands run in one exec, from a script that goes in with the files: an exec costs 70-200 ms on a
 * busy engine, and the last node's setup is what a cluster waits for. The script is rendered from the steps' argument
 * arrays, each word in single quotes; no word comes from a request (the steps' arguments are fixed paths and words,
 * what differs per cluster is in their files).
 */
final class NodeSetup {

    static final String SCRIPT = "/etc/dind-clusters/node-setup.sh";
    private static final String MARK = "dind-clusters step ";

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
        if (hasCommands(node)) {
            files.put(SCRIPT, script(node));
        }
        return files;
    }

    private boolean hasCommands(Node node) {
        return steps.stream().anyMatch(s -> !s.commands(spec, node, nodes).isEmpty());
    }

    /** Each step's commands in order, after a line that names the step; the first failure ends it (set -e). */
    String script(Node node) {
        StringBuilder script = new StringBuilder("#!/bin/sh\n# dind-clusters: the node steps' commands\nset -e\n");
        for (NodeStep step : steps) {
            script.append("echo ").append(quote(MARK + step.name())).append('\n');
            for (List<String> argv : step.commands(spec, node, nodes)) {
                script.append(argv.stream().map(NodeSetup::quote).collect(Collectors.joining(" "))).append('\n');
            }
        }
        return script.toString();
    }

    /** POSIX single quotes: nothing inside is special but the quote itself, written as '\''. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The step whose command failed: the last one the script announced. */
    static String failedStep(String output) {
        return output.lines().filter(l -> l.startsWith(MARK)).reduce((a, b) -> b)
                .map(l -> l.substring(MARK.length())).orElse("node setup");
    }

    static String withoutMarks(String output) {
        return output.lines().filter(l -> !l.startsWith(MARK)).collect(Collectors.joining("\n")).strip();
    }

    /** Runs every step's commands on the node in one exec, and logs a line per step. */
    void apply(ProvisioningContext context, Node node) throws StepFailedException {
        if (hasCommands(node)) {
            ExecResult result = context.commands().attempt(node.name(), List.of("sh", SCRIPT));
            if (!result.succeeded()) {
                throw new StepFailedException(failedStep(result.output()) + ": on " + node.name()
                        + ", its commands exited " + result.exitCode() + ": " + withoutMarks(result.output())
                        + NodeLogs.tail(context, node.name()));
            }
        }
        for (NodeStep step : steps) {
            context.events().log(node.name() + " " + step.name() + ": " + step.summary(spec, node, nodes));
        }
    }
}
