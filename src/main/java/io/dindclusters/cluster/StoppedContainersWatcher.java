package io.dindclusters.cluster;

import io.dindclusters.docker.DockerEngine;
import io.dindclusters.docker.DockerHost;
import io.dindclusters.docker.DockerHosts;
import io.dindclusters.docker.DockerProperties;
import io.dindclusters.docker.Labels;
import io.dindclusters.events.EventLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Notices RUNNING clusters whose containers stopped or restarted (a Docker daemon restart or a host reboot stops
 * them, and the restart policy may start them again without what provisioning set up inside), every
 * {@code dind.clusters.container-check-interval}: the cluster then shows {@code containersProblem} and its events say
 * so, and again once every container runs as it did. Clusters on hosts that do not answer are left to the host check.
 */
@Component
class StoppedContainersWatcher {

    private static final Logger log = LoggerFactory.getLogger(StoppedContainersWatcher.class);
    /** The engine's clock says when a container started, the service's when the cluster became RUNNING. */
    static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofSeconds(5);

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
                String problem = problem(row, host.get().engine().states(
                        Labels.ofCluster(instance, row.id())));
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

    /**
     * What is wrong, or null: containers gone or not running, and running ones that started after the cluster became
     * RUNNING (a restart loses what provisioning set up inside them). No times of this check in the text: it is
     * recorded, and an event written, only when it changes.
     */
    static String problem(ClusterRow row, Map<String, DockerEngine.ContainerState> states) {
        List<String> expected = new ArrayList<>(row.nodes().stream().map(Node::name).toList());
        row.supportContainers().forEach(c -> expected.add(c.name()));
        int all = expected.size();
        List<String> stopped = new ArrayList<>(expected.stream().filter(name -> !states.containsKey(name))
                .map(name -> name + " (gone)").toList());
        List<String> restarted = new ArrayList<>();
        states.forEach((name, state) -> {
            if (!"running".equals(state.state())) {
                stopped.add(name + " (" + state.state() + ")");
            } else if (row.runningSince() != null && state.startedAt() != null
                    && state.startedAt().isAfter(row.runningSince().plus(CLOCK_SKEW))) {
                restarted.add(name + " (at " + state.startedAt() + ")");
            }
        });
        List<String> parts = new ArrayList<>();
        if (!stopped.isEmpty()) {
            parts.add(stopped.size() + " of " + all + " containers not running: " + String.join(", ", stopped)
                    + "; the cluster does not work until they run again");
        }
        if (!restarted.isEmpty()) {
            parts.add(restarted.size() + " of " + all + " containers restarted since the cluster became RUNNING: "
                    + String.join(", ", restarted) + "; what provisioning set up inside them (routes between nodes, "
                    + "pod masquerading, an ipv6 node's IPv4 removal and resolver) is gone");
        }
        return parts.isEmpty() ? null : String.join("; ", parts) + ": delete the cluster and create another";
    }
}
