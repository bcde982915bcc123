package io.dindclusters.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The service as a separate operating-system process (the test's own class path), so a test can kill it with
 * SIGKILL or stop it with SIGTERM and start another on the same database and engine.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the service and waits (at most 90 s) until its health endpoint answers. */
    public static ServiceProcess start(Path database, String instance, Path log, String... extraArguments) {
        int port = freePort();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp", classPath,
                "io.dindclusters.DindClustersApplication",
                "--server.port=" + port,
                "--dind.docker.instance=" + instance,
                "--dind.clusters.default-node-image=" + TestImages.NODE,
                "--dind.images.base=" + TestImages.NODE,
                "--dind.network.dns64.remote-server=127.0.0.1",
                "--dind.network.dns64.prefix=fd00:64:ff9b::/96"));
        if (java.util.Arrays.stream(extraArguments).noneMatch(a -> a.startsWith("--spring.datasource.url="))) {
            command.add("--spring.datasource.url=jdbc:h2:file:" + database + ";AUTO_SERVER=FALSE;WRITE_DELAY=0");
        }
        command.addAll(List.of(extraArguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            var service = new ServiceProcess(process, port, log);
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsMatching(e -> !(e instanceof ServiceExited))
                    .until(() -> {
                        if (!process.isAlive()) {
                            List<String> lines = java.nio.file.Files.readAllLines(log);
                            throw new ServiceExited("the service exited: "
                                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
                        }
                        return service.api().get("/actuator/health").status() == 200;
                    });
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process ended while it was expected to start; the message has the end of its log. */
    static final class ServiceExited extends RuntimeException {
        ServiceExited(String message) {
            super(message);
        }
    }

    public Api api() {
        return new Api(port);
    }

    /** kill -9: no shutdown hook, no clean-up. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM: the service shuts down gracefully. */
    public void terminate() {
        process.destroy();
        waitForExit();
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the service did not exit within 60 s; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
