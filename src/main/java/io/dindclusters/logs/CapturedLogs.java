package io.dindclusters.logs;

import io.dindclusters.cluster.Cluster;
import io.dindclusters.docker.DockerEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The container parts of a failed cluster's bundle, captured before its teardown and kept with it (captured_logs,
 * so every replica can serve them) until the cluster is deleted: a CI job that was waiting can still fetch the
 * logs of the cluster that failed it.
 */
@Component
public class CapturedLogs {

    /** What was captured, and when: a gzipped tar of containers/NAME/... and its own README. */
    public record Captured(Instant at, byte[] parts) {
    }

    private final JdbcClient jdbc;
    private final ContainerParts containers;
    private final LogsProperties properties;

    CapturedLogs(JdbcClient jdbc, ContainerParts containers, LogsProperties properties) {
        this.jdbc = jdbc;
        this.containers = containers;
        this.properties = properties;
    }

    /**
     * Collects the parts of these containers of the cluster (at most dind.logs.capture-timeout in all) and keeps
     * them; a capture larger than dind.logs.max-captured keeps a note saying so instead.
     */
    public void capture(Cluster cluster, DockerEngine engine, List<DockerEngine.LabelledContainer> found) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant deadline = at.plus(properties.captureTimeout());
        byte[] parts = tarGz(out -> {
            for (var container : found) {
                containers.collect(out, engine, container, cluster.spec().bootstrap() == io.dindclusters.cluster.Bootstrap.kubeadm,
                        deadline);
            }
            out.readme("Captured at " + at + " from the containers of cluster " + cluster.name() + " (" + cluster.id()
                    + "), before they were removed.");
        });
        if (parts.length > properties.maxCaptured().toBytes()) {
            long size = parts.length;
            parts = tarGz(out -> out.readme("The container parts captured at " + at + " were " + size + " bytes "
                    + "compressed, above dind.logs.max-captured (" + properties.maxCaptured() + "), and were not kept."));
        }
        byte[] kept = parts;
        jdbc.sql("DELETE FROM captured_logs WHERE cluster_id = ?").param(cluster.id()).update();
        jdbc.sql("INSERT INTO captured_logs (cluster_id, captured_at, parts) VALUES (?, ?, ?)")
                .params(cluster.id(), java.sql.Timestamp.from(at), kept).update();
    }

    public Optional<Captured> find(String clusterId) {
        return jdbc.sql("SELECT captured_at, parts FROM captured_logs WHERE cluster_id = ?").param(clusterId)
                .query((rs, i) -> new Captured(rs.getTimestamp("captured_at").toInstant(), rs.getBytes("parts")))
                .optional();
    }

    /** The cluster is gone: so are its captured parts. */
    public void forget(String clusterId) {
        jdbc.sql("DELETE FROM captured_logs WHERE cluster_id = ?").param(clusterId).update();
    }

    interface Parts {
        void write(BundleWriter out) throws IOException;
    }

    private static byte[] tarGz(Parts parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes); BundleWriter out = new BundleWriter(gzip)) {
            parts.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
