package io.dindclusters.support;

import java.io.IOException;
import java.io.UncheckedIOException;
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

    /**
     * Starts the service with the offline test defaults and this run's properties and waits (at most 90 s) until its
     * health endpoint answers. It binds a port of its own choosing (no port picked here and bound later by someone
     * else) and writes it to a file, which {@link PortFile} does when the system property names one. Its replica id
     * is {@code instance}, so a restart on the same database takes its own work back at once, unless
     * {@code extraArguments} set one.
     */
    public static ServiceProcess start(Path database, String instance, Path log, String... extraArguments) {
        Path portFile = log.resolveSibling(log.getFileName() + ".port");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                // a short-lived service: the quick compiler alone starts it sooner
                "-XX:TieredStopAtLevel=1", "-D" + PortFile.PROPERTY + "=" + portFile, "-cp", classPath,
                "io.dindclusters.DindClustersApplication", "--server.port=0", "--dind.docker.instance=" + instance));
        command.addAll(TestRun.serviceArguments());
        List<String> extra = List.of(extraArguments);
        if (extra.stream().noneMatch(a -> a.startsWith("--spring.datasource.url="))) {
            command.add("--spring.datasource.url=jdbc:h2:file:" + database + ";AUTO_SERVER=FALSE;WRITE_DELAY=0");
        }
        if (extra.stream().noneMatch(a -> a.startsWith("--dind.replica.id="))) {
            command.add("--dind.replica.id=" + instance);
        }
        command.addAll(extra);
        try {
            java.nio.file.Files.deleteIfExists(portFile);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            int port = Awaitility.await("the port of the service in " + log).atMost(START_DEADLINE)
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        exitedYet(process, log);
                        return java.nio.file.Files.exists(portFile) ? java.nio.file.Files.readString(portFile).strip() : "";
                    }, p -> !p.isEmpty()).transform(Integer::parseInt);
            var service = new ServiceProcess(process, port, log);
            // Until the port answers, a refused connection is expected; every other failure ends the wait at once.
            Awaitility.await("the health of the service in " + log).atMost(START_DEADLINE)
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsMatching(e -> e instanceof AssertionError && e.getCause() instanceof java.net.ConnectException)
                    .until(() -> {
                        exitedYet(process, log);
                        return service.api().get("/actuator/health").status() == 200;
                    });
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Duration START_DEADLINE = Duration.ofSeconds(90);

    private static void exitedYet(Process process, Path log) throws IOException {
        if (!process.isAlive()) {
            List<String> lines = java.nio.file.Files.readAllLines(log);
            throw new ServiceExited("the service exited: "
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
    }

    /**
     * Writes the port a service bound to the file the system property {@value #PROPERTY} names (registered for every
     * service on the test class path in META-INF/spring.factories; does nothing without the property).
     */
    public static final class PortFile implements org.springframework.context.ApplicationListener<
            org.springframework.boot.web.server.context.WebServerInitializedEvent> {

        static final String PROPERTY = "dind.test.port-file";

        @Override
        public void onApplicationEvent(org.springframework.boot.web.server.context.WebServerInitializedEvent event) {
            String file = System.getProperty(PROPERTY);
            if (file != null) {
                try {
                    Path partial = Path.of(file + ".partial");
                    java.nio.file.Files.writeString(partial, Integer.toString(event.getWebServer().getPort()));
                    java.nio.file.Files.move(partial, Path.of(file), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
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
        signalTerminate();
        waitForExit();
    }

    /** SIGTERM without waiting: the test watches the service drain; {@link #waitForExit} then. */
    public void signalTerminate() {
        process.destroy();
    }

    /** Waits (at most 60 s) until the process has exited. */
    public void waitForExit() {
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
}
