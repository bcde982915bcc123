package io.dindclusters.cluster;

import io.dindclusters.events.EventLog;
import io.dindclusters.events.EventType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one way a cluster's state changes: each move is checked against {@link ClusterStatus}'s table, applied with
 * optimistic locking, and recorded in the event log in the same transaction. Used by the provisioner.
 */
@Component
public class ClusterLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterLifecycle.class);
    private static final int MAX_CONFLICT_RETRIES = 5;

    private final ClusterRepository repository;
    private final EventLog events;

    ClusterLifecycle(ClusterRepository repository, EventLog events) {
        this.repository = repository;
        this.events = events;
    }

    public Optional<Cluster> find(String id) {
        return repository.findById(id).map(ClusterRow::toCluster);
    }

    public Optional<ClusterStatus> statusOf(String id) {
        return repository.statusOf(id);
    }

    public List<Cluster> clustersIn(ClusterStatus status) {
        return repository.findByStatus(status).stream().map(ClusterRow::toCluster).toList();
    }

    /**
     * Moves the cluster from {@code from} to {@code to}.
     *
     * @return false when the cluster is not in {@code from} (any more): someone else moved it first
     */
    @Transactional
    public boolean move(String id, ClusterStatus from, ClusterStatus to, String reason) {
        if (!from.canBecome(to)) {
            throw new IllegalStateException("no transition from " + from + " to " + to);
        }
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            Optional<ClusterRow> row = repository.findById(id);
            if (row.isEmpty() || row.get().status() != from) {
                return false;
            }
            if (repository.updateStatus(row.get(), to, reason, now())) {
                recordStatus(id, to, reason);
                log.info("cluster {} ({}) is {}{}", row.get().name(), id, to, reason == null ? "" : ": " + reason);
                return true;
            }
        }
        return false;
    }

    void recordStatus(String id, ClusterStatus status, String reason) {
        events.append(id, EventType.STATUS, status.name(), null, null,
                reason == null ? "status " + status : "status " + status + ": " + reason);
    }

    /** Records the containers the cluster has now: its nodes and, for ipMode ipv6, its DNS64 and NAT64. */
    @Transactional
    public void recordContainers(String id, List<Node> nodes, List<SupportContainer> supportContainers) {
        repository.updateContainers(id, nodes, supportContainers, now());
    }

    /** Claims the cluster's provisioning or teardown for {@code replica}; see {@link ClusterRepository#claim}. */
    public boolean claim(String id, String replica, java.time.Duration lease) {
        Instant now = now();
        return repository.claim(id, replica, now.plus(lease), now);
    }

    public int renewClaims(String replica, java.time.Duration lease) {
        return repository.renewClaims(replica, now().plus(lease));
    }

    public void releaseClaim(String id, String replica) {
        repository.releaseClaim(id, replica);
    }

    /** Clusters with work to do that no live replica holds: id, status and Docker host. */
    public List<String[]> claimableWork(String replica, int limit) {
        return repository.claimableWork(replica, now(), limit);
    }

    /** A line in the cluster's event stream that belongs to no step. */
    public void log(String id, String message) {
        events.log(id, null, message);
    }

    /** Records how users reach a kubeadm cluster; all null when its containers are gone. */
    @Transactional
    public void recordKubernetes(String id, String apiServer, String kubernetesVersion, String kubeconfig) {
        repository.updateKubernetes(id, apiServer, kubernetesVersion, kubeconfig, now());
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
