package io.dindclusters.provision;

import io.dindclusters.docker.DockerEngine;
import io.dindclusters.docker.ExecResult;
import java.time.Duration;
import java.util.List;

/** Commands the steps run inside containers of one engine: argument arrays over exec, never a shell line. */
class ContainerCommands {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final long FIRST_BACKOFF_MILLIS = 20;
    private static final long MAX_BACKOFF_MILLIS = 200;
    private static final int TAIL_LINES = 20;

    private final DockerEngine engine;

    private final java.util.function.BooleanSupplier stopRequested;

    /** @param stopRequested checked between a wait's tries: a draining replica ends the wait */
    ContainerCommands(DockerEngine engine, java.util.function.BooleanSupplier stopRequested) {
        this.engine = engine;
        this.stopRequested = stopRequested;
    }

    /** Runs one command; a non-zero exit fails the step with the command and its output. */
    void run(String container, List<String> argv) throws StepFailedException {
        output(container, argv);
    }

    /** Runs a command and returns how it ended, whatever its exit code. */
    ExecResult attempt(String container, List<String> argv) {
        return engine.exec(container, argv, COMMAND_TIMEOUT, line -> { });
    }

    /** Whether a command exits 0: a test, not a failure. */
    boolean succeeds(String container, List<String> argv) {
        return attempt(container, argv).succeeded();
    }

    /** Runs a command and returns its output; a non-zero exit fails the step. The output is not logged. */
    String output(String container, List<String> argv) throws StepFailedException {
        ExecResult result = attempt(container, argv);
        if (!result.succeeded()) {
            throw failure(container, argv, result);
        }
        return result.output();
    }

    /**
     * Runs a long command (kubeadm, kubectl), each output line into the step's events as it comes, prefixed with the
     * container's name; a non-zero exit fails the step with the command's last lines.
     */
    void runLogged(String container, List<String> argv, Duration timeout, ClusterEvents events)
            throws StepFailedException {
        ExecResult result = engine.exec(container, argv, timeout, line -> events.log(container + ": " + line));
        if (!result.succeeded()) {
            List<String> output = result.output().lines().toList();
            String tail = String.join("\n", output.subList(Math.max(0, output.size() - TAIL_LINES), output.size()));
            throw new StepFailedException("on " + container + ", " + argv.get(0) + " " + argv.get(1) + " exited "
                    + result.exitCode() + "; its last lines:\n" + tail);
        }
    }

    /**
     * Runs a command until it succeeds, with a short backoff, for something a container's own process is still
     * setting up (a tun device, a listening socket).
     *
     * @throws StepFailedException when it still fails at the deadline, with its last output
     */
    void awaitSuccess(String container, List<String> argv, Duration deadline) throws StepFailedException,
            InterruptedException {
        poll(container, argv, ExecResult::succeeded, deadline, result -> "on " + container + ", "
                + String.join(" ", argv) + " still failed after " + deadline.toSeconds() + " s (exit "
                + result.exitCode() + "): " + result.output().strip());
    }

    /** Runs a command until its output satisfies {@code done}, with a short backoff. */
    void awaitOutput(String container, List<String> argv, java.util.function.Predicate<String> done, Duration deadline,
                     String what) throws StepFailedException, InterruptedException {
        poll(container, argv, result -> done.test(result.output().strip()), deadline, result -> "on " + container
                + ", " + what + " not within " + deadline.toSeconds() + " s; " + String.join(" ", argv) + " says: "
                + result.output().strip());
    }

    /**
     * The backoff loop of the two waits above. A command the container does not have (exit 126 or 127) fails at
     * once: waiting cannot make it appear.
     */
    private void poll(String container, List<String> argv, java.util.function.Predicate<ExecResult> done,
                      Duration deadline, java.util.function.Function<ExecResult, String> timedOut)
            throws StepFailedException, InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        long backoff = FIRST_BACKOFF_MILLIS;
        while (true) {
            ExecResult result = attempt(container, argv);
            if (done.test(result)) {
                return;
            }
            if (result.exitCode() == 126 || result.exitCode() == 127) {
                throw new StepFailedException("on " + container + ", " + argv.get(0) + " cannot run (exit "
                        + result.exitCode() + "): " + result.output().strip());
            }
            if (System.nanoTime() + backoff * 1_000_000 > end) {
                throw new StepFailedException(timedOut.apply(result));
            }
            Thread.sleep(backoff);
            if (stopRequested.getAsBoolean()) {
                throw new ProvisioningContext.StoppedException("waiting on " + container + " for " + argv.get(0));
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private static StepFailedException failure(String container, List<String> argv, ExecResult result) {
        return new StepFailedException("on " + container + ", " + String.join(" ", argv) + " exited "
                + result.exitCode() + ": " + result.output().strip());
    }
}
