package io.dindclusters.logs;

import io.dindclusters.docker.DockerEngine;
import io.dindclusters.docker.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * What a bundle holds of one container, under containers/NAME/: docker inspect and its log; for a kubeadm node also
 * the kubelet and containerd journals, /var/log/pods, /kind/version and the kubeadm configuration the service wrote
 * (kind's `export logs` collects the same). Every part is bounded in time (dind.logs.part-timeout) and size
 * (dind.logs.max-part-size, keeping the end) and redacted; one that cannot be had is listed, with why, in the
 * README.
 */
@Component
class ContainerParts {

    private static final List<String> NODE_ROLES = List.of("control-plane", "worker");

    private final LogsProperties properties;
    private final ExecutorService collectors = Executors.newCachedThreadPool(threads());

    ContainerParts(LogsProperties properties) {
        this.properties = properties;
    }

    private static CustomizableThreadFactory threads() {
        CustomizableThreadFactory factory = new CustomizableThreadFactory("logs-part-");
        factory.setDaemon(true);
        return factory;
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        collectors.shutdownNow();
    }

    /** Whether a container with these labels is a node (not DNS64 or NAT64). */
    static boolean isNode(DockerEngine.LabelledContainer container) {
        return NODE_ROLES.contains(container.labels().getOrDefault(Labels.ROLE, ""));
    }

    void collect(BundleWriter out, DockerEngine engine, DockerEngine.LabelledContainer container, boolean kubeadm,
                 Instant deadline) throws IOException {
        String dir = "containers/" + container.name() + "/";
        String id = container.id();
        text(out, dir + "inspect.json", "docker inspect", deadline, () -> engine.inspectJson(id));
        text(out, dir + "log.txt", "its log (stdout and stderr), the last " + properties.logLines() + " lines",
                deadline, () -> engine.lastLogLines(id, properties.logLines()));
        if (!kubeadm || !isNode(container)) {
            return;
        }
        for (String unit : List.of("kubelet", "containerd")) {
            text(out, dir + "journal-" + unit + ".txt", "journalctl -u " + unit + ", the last "
                    + properties.journalLines() + " lines", deadline, () -> exec(engine, id, List.of("journalctl",
                    "--no-pager", "-o", "short-precise", "-n", Integer.toString(properties.journalLines()), "-u", unit)));
        }
        text(out, dir + "kind-version.txt", "/kind/version, the Kubernetes version the image carries", deadline,
                () -> exec(engine, id, List.of("cat", "/kind/version")));
        text(out, dir + "kubeadm.conf", "/kind/kubeadm.conf as the service wrote it, secrets redacted", deadline,
                () -> exec(engine, id, List.of("cat", io.dindclusters.kube.KubeadmConfig.PATH)));
        pods(out, engine, id, dir, deadline);
    }

    private String exec(DockerEngine engine, String container, List<String> argv) {
        var result = engine.exec(container, argv, properties.partTimeout(), line -> { });
        if (!result.succeeded()) {
            throw new IllegalStateException(String.join(" ", argv) + " exited with " + result.exitCode() + ": "
                    + cut(result.output().strip(), 300));
        }
        return result.output();
    }

    /** /var/log/pods as its files, under DIR/var/log/pods/, at most dind.logs.max-part-size in all. */
    private void pods(BundleWriter out, DockerEngine engine, String container, String dir, Instant deadline)
            throws IOException {
        String path = dir + "var/log/pods/";
        byte[] archive;
        try {
            archive = timed(deadline, () -> {
                try (InputStream in = engine.archive(container, "/var/log/pods")) {
                    return readAtMost(in, properties.maxPartSize().toBytes() * 2);
                }
            });
        } catch (PartFailed failed) {
            out.missing(path, failed.getMessage());
            return;
        }
        long left = properties.maxPartSize().toBytes();
        int files = 0;
        try (var tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(archive))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (!entry.isFile()) {
                    continue;
                }
                String name = entry.getName().replaceFirst("^pods/", "");
                if (left <= 0) {
                    out.missing(path + name, "left out: the pod logs reached dind.logs.max-part-size");
                    continue;
                }
                byte[] bytes = tar.readAllBytes();
                String text = keepEnd(Redaction.redact(new String(bytes, StandardCharsets.UTF_8)), left);
                left -= text.length();
                out.add(path + name, text, "a pod's container log");
                files++;
            }
        } catch (IOException e) {
            out.missing(path, "the archive of /var/log/pods was cut short: " + e.getMessage());
        }
        if (files == 0) {
            out.missing(path, "no pod logs (no pod ran on this node)");
        }
    }

    private void text(BundleWriter out, String path, String what, Instant deadline, Callable<String> part)
            throws IOException {
        try {
            out.add(path, keepEnd(Redaction.redact(timed(deadline, part)), properties.maxPartSize().toBytes()), what);
        } catch (PartFailed failed) {
            out.missing(path, failed.getMessage());
        }
    }

    /** Runs a part within dind.logs.part-timeout and before the deadline. */
    private <T> T timed(Instant deadline, Callable<T> part) throws PartFailed {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new PartFailed("out of time: the capture's dind.logs.capture-timeout had passed");
        }
        Duration bound = left.compareTo(properties.partTimeout()) < 0 ? left : properties.partTimeout();
        Future<T> future = collectors.submit(part);
        try {
            return future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new PartFailed("took longer than " + bound);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new PartFailed(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new PartFailed("interrupted");
        }
    }

    /** The text, or its last {@code max} bytes' worth behind a line that says how much was left out. */
    static String keepEnd(String text, long max) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= max) {
            return text;
        }
        String tail = new String(bytes, (int) (bytes.length - max), (int) max, StandardCharsets.UTF_8);
        return "[the first " + (bytes.length - max) + " bytes are left out: dind.logs.max-part-size]\n" + tail;
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        for (int n = in.read(buffer); n >= 0 && out.size() < max; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Why one part is not in the bundle. */
    static final class PartFailed extends Exception {
        PartFailed(String why) {
            super(why);
        }
    }
}
