package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.docker.ExecResult;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@link NodeStep}s of a cluster, applied to a node once it may be touched. That is the moment it started for
 * {@code bootstrap: none}, but only once its systemd runs for a kind node, whose entrypoint still needs the node's
 * IPv4 default route and rewrites its resolv.conf until then.
 * <p>
 * Every step's files and commands go in one exec of a script ({@code sh -c}): an exec costs 70-200 ms on a busy
 * engine and a copy into a created container 170 ms when five start at once, and the last node's setup is what a
 * cluster waits for. The script is rendered from the steps' files and argument arrays, each word in single quotes; no
 * word comes from a request (the steps' arguments are fixed paths and words, their files are rendered from validated
 * addresses and names).
 */
final class NodeSetup {

    private static final String MARK = "dind-clusters step ";

    private final List<NodeStep> steps;
    private final ClusterSpec spec;
    private final List<Node> nodes;

    NodeSetup(List<NodeStep> all, ClusterSpec spec, List<Node> nodes) {
        this.steps = all.stream().filter(s -> s.appliesTo(spec)).toList();
        this.spec = spec;
        this.nodes = nodes;
    }

    /** Whether any step has something to write or run on this node. */
    boolean needed(Node node) {
        return steps.stream().anyMatch(s -> !s.files(spec, node, nodes).isEmpty()
                || !s.commands(spec, node, nodes).isEmpty());
    }

    /**
     * Each step in order, after a line that names it: its files written (folders made as needed), then its commands;
     * the first failure ends it (set -e).
     */
    String script(Node node) {
        StringBuilder script = new StringBuilder("# dind-clusters: the node steps' files and commands\nset -e\n");
        for (NodeStep step : steps) {
            script.append("echo ").append(quote(MARK + step.name())).append('\n');
            for (var file : new TreeMap<>(step.files(spec, node, nodes)).entrySet()) {
                String path = io.dindclusters.docker.DockerEngine.requireFilePath(file.getKey());
                script.append("mkdir -p ").append(quote(path.substring(0, path.lastIndexOf('/') + 1))).append('\n')
                        .append("printf '%s' ").append(quote(file.getValue())).append(" > ").append(quote(path))
                        .append('\n');
            }
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

    /** Writes every step's files and runs their commands on the node in one exec, and logs a line per step. */
    void apply(ProvisioningContext context, Node node) throws StepFailedException {
        if (needed(node)) {
            ExecResult result = context.commands().attempt(node.name(), List.of("sh", "-c", script(node)));
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
