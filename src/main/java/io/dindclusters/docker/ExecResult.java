package io.dindclusters.docker;

/** How a command run in a container ended, and what it printed (stdout and stderr, interleaved). */
public record ExecResult(long exitCode, String output) {

    public boolean succeeded() {
        return exitCode == 0;
    }
}
