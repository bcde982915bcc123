package io.dindclusters.cluster;

import io.dindclusters.docker.DockerHost;
import io.dindclusters.docker.DockerHosts;
import io.dindclusters.docker.DockerProperties;
import io.dindclusters.docker.Labels;
import io.dindclusters.events.EventLog;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Notices RUNNING clusters whose containers stopped (a Docker daemon restart or a host reboot stops them; kind nodes
 * restart once on failure only), every {@code dind.clusters.container-check-interval}: the cluster then shows
 * {@code containersProblem} and its events say so, and again once every container runs. Clusters on hosts that do
 * not answer are left to the host check.
 */
@Component
class StoppedContainersWatcher {

    private static final Logger log = LoggerFactory.getLogger(StoppedContainersWatcher.class);

    private final ClusterRepository repository;
    private final DockerHosts hosts;
    private final EventLog events;
    private final TransactionTemplate transaction;
    private final String instance;

    StoppedContainersWatcher(ClusterRepository repository, DockerHosts hosts, EventLog events,
                             TransactionTemplate transaction, DockerProperties docker) {
        this.repository = repository;
        this.hosts = hosts;
        this.events = events;
        this.transaction = transaction;
        this.instance = docker.instance();
    }

    @Scheduled(initialDelayString = "${dind.clusters.container-check-interval:30s}",
            fixedDelayString = "${dind.clusters.container-check-interval:30s}")
    void check() {
        for (ClusterRow row : repository.findByStatus(ClusterStatus.RUNNING)) {
            Optional<DockerHost> host = hosts.find(row.dockerHost());
            if (host.isEmpty() || !host.get().reachability().reachable()) {
                continue;
            }
            try {
                Map<String, String> stopped = host.get().engine().notRunning(
                        Map.of(Labels.INSTANCE, instance, Labels.CLUSTER, row.id()));
                String problem = stopped.isEmpty() ? null : describe(row, stopped);
                transaction.executeWithoutResult(tx -> {
                    if (repository.recordContainersProblem(row.id(), problem)) {
                        events.log(row.id(), null, problem == null ? "every container of the cluster runs again"
                                : problem);
                    }
                });
            } catch (RuntimeException e) {
                log.debug("could not check the containers of cluster {}: {}", row.id(), e.toString());
            }
        }
    }

    private static String describe(ClusterRow row, Map<String, String> stopped) {
        int all = row.nodeCount() + row.supportContainers().size();
        // no times in the text: it is recorded, and an event written, only when it changes
        return stopped.size() + " of " + all + " containers not running: "
                + stopped.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                        .collect(Collectors.joining(", "))
                + "; the cluster does not work until they run again: delete it and create another";
    }
}
