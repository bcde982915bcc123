package io.dindclusters.provision;

/** The last lines a node container logged, for the reason of a step that failed on it. */
final class NodeLogs {

    static final int LINES = 15;

    private NodeLogs() {
    }

    /** "; the last lines of NODE's log: ..." or "" when it logged nothing or the engine cannot say. */
    static String tail(ProvisioningContext context, String node) {
        try {
            String lines = context.engine().lastLogLines(node, LINES);
            return lines.isBlank() ? "" : "; the last lines of " + node + "'s log:\n" + lines;
        } catch (RuntimeException e) {
            return "";
        }
    }
}
