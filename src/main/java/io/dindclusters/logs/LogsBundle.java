package io.dindclusters.logs;

import io.dindclusters.cluster.Bootstrap;
import io.dindclusters.cluster.Cluster;
import io.dindclusters.docker.DockerEngine;
import io.dindclusters.docker.DockerHost;
import io.dindclusters.docker.DockerHosts;
import io.dindclusters.docker.DockerProperties;
import io.dindclusters.docker.Labels;
import io.dindclusters.events.ClusterEvent;
import io.dindclusters.events.EventLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * A cluster's logs bundle, as `kind export logs` gives one: a gzipped tar with the Cluster as JSON, its event log as
 * JSON lines, the parts of each of its containers ({@link ContainerParts}) or, once a failed cluster's containers are
 * gone, what was captured of them before ({@link CapturedLogs}), and a README that lists what is in it and what could
 * not be collected. Written as it is collected.
 */
@Component
public class LogsBundle {

    private static final int EVENT_BATCH = 1000;

    private final EventLog events;
    private final DockerHosts hosts;
    private final ContainerParts containers;
    private final CapturedLogs captured;
    private final JsonMapper json;
    private final String instance;

    LogsBundle(EventLog events, DockerHosts hosts, ContainerParts containers, CapturedLogs captured, JsonMapper json,
               DockerProperties docker) {
        this.events = events;
        this.hosts = hosts;
        this.containers = containers;
        this.captured = captured;
        this.json = json;
        this.instance = docker.instance();
    }

    public void write(Cluster cluster, OutputStream response) throws IOException {
        try (GZIPOutputStream gzip = new GZIPOutputStream(response, 65536); BundleWriter out = new BundleWriter(gzip)) {
            Instant started = Instant.now();
            out.add("cluster.json", json.writerWithDefaultPrettyPrinter().writeValueAsString(cluster),
                    "the cluster as GET /clusters/{id} shows it");
            out.add("events.jsonl", eventLines(cluster.id()), "its event log, one JSON event per line, oldest first");
            String source = containerParts(out, cluster);
            out.readme("Logs of cluster " + cluster.name() + " (" + cluster.id() + "), " + cluster.status()
                    + (cluster.statusReason() == null ? "" : ": " + cluster.statusReason()) + "\nCollected at "
                    + started + " by dind-clusters on Docker host " + cluster.dockerHost() + ". " + source
                    + "\nSecrets (bootstrap tokens, certificate keys, private keys, kubeconfig credentials) are "
                    + "replaced by " + Redaction.REDACTED + ".");
        }
    }

    /** The parts of the cluster's containers, live or captured; says which. */
    private String containerParts(BundleWriter out, Cluster cluster) throws IOException {
        DockerHost host = hosts.find(cluster.dockerHost()).orElse(null);
        List<DockerEngine.LabelledContainer> found = List.of();
        String why = "Docker host " + cluster.dockerHost() + " is not configured";
        if (host != null) {
            try {
                found = host.engine().containersWithLabels(Labels.ofCluster(instance, cluster.id()));
                why = "the cluster has no containers (" + cluster.status() + ")";
            } catch (RuntimeException e) {
                why = "its Docker host cannot be reached: " + e.getMessage();
            }
        }
        if (!found.isEmpty()) {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
            for (var container : found) {
                containers.collect(out, host.engine(), container, cluster.spec().bootstrap() == Bootstrap.kubeadm,
                        deadline);
            }
            return "The container parts are from its containers as they are now.";
        }
        var kept = captured.find(cluster.id());
        if (kept.isPresent()) {
            copyCaptured(out, kept.get());
            return "The container parts were captured at " + kept.get().at() + ", before its failed containers were "
                    + "removed (their own list: containers/CAPTURED.txt).";
        }
        out.missing("containers/", why + ", and nothing was captured of them");
        return "It has no container parts.";
    }

    private static void copyCaptured(BundleWriter out, CapturedLogs.Captured kept) throws IOException {
        try (var tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(kept.parts())))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (!entry.isFile()) {
                    continue;
                }
                byte[] bytes = tar.readAllBytes();
                if (entry.getName().equals("README.txt")) {
                    out.add("containers/CAPTURED.txt", bytes, "what the capture at " + kept.at() + " holds and lacks");
                    // what the capture lacked, the bundle lacks: in its own README too
                    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                    int missing = text.indexOf(BundleWriter.NOT_COLLECTED);
                    text.substring(missing < 0 ? text.length() : missing).lines()
                            .filter(line -> line.startsWith("- ") && !line.equals(BundleWriter.NOTHING_MISSING))
                            .forEach(line -> out.missing(line.substring(2), "(at the capture)"));
                } else {
                    out.add(entry.getName(), bytes, "captured at " + kept.at());
                }
            }
        }
    }

    private String eventLines(String clusterId) {
        StringBuilder lines = new StringBuilder();
        long after = 0;
        List<ClusterEvent> batch;
        do {
            batch = events.after(clusterId, after, EVENT_BATCH);
            for (ClusterEvent event : batch) {
                lines.append(json.writeValueAsString(event)).append('\n');
                after = event.id();
            }
        } while (batch.size() == EVENT_BATCH);
        return Redaction.redact(lines.toString());
    }
}
