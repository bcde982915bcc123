package io.dindclusters.cluster;

import io.dindclusters.events.EventLog;
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
        return change(id, from, row -> new Change(to, reason, row.provisioningAttempts(), row.lostAttempts()))
                .isPresent();
    }

    /**
     * PENDING to PROVISIONING: one more provisioning attempt starts.
     *
     * @return the attempt's number (1 for the first), or 0 when the cluster is not PENDING (any more)
     */
    @Transactional
    public int startAttempt(String id) {
        return change(id, ClusterStatus.PENDING, row -> {
            int number = row.provisioningAttempts() + 1;
            return new Change(ClusterStatus.PROVISIONING, number == 1 ? null : "attempt " + number, number,
                    row.lostAttempts());
        }).map(Change::attempts).orElse(0);
    }

    /**
     * An attempt its replica did not finish, whose objects are gone: the cluster goes back to PENDING to be
     * provisioned again, keeping its id, name, owner, spec (with its networks) and TTL; or, once {@code maxAttempts}
     * attempts that count were lost, it is FAILED with why each was.
     *
     * @param why    what ended the attempt
     * @param counts false when a draining replica handed the attempt back: a deploy costs nobody an attempt
     * @return the status it moved to; empty when it was not PROVISIONING (a deletion came first)
     */
    @Transactional
    public Optional<ClusterStatus> retry(String id, String why, boolean counts, int maxAttempts) {
        return change(id, ClusterStatus.PROVISIONING, row -> {
            int attempt = row.provisioningAttempts();
            List<String> lost = new java.util.ArrayList<>(row.lostAttempts());
            if (counts) {
                lost.add("attempt " + attempt + ": " + why);
            }
            ClusterStatus to = lost.size() >= maxAttempts ? ClusterStatus.FAILED : ClusterStatus.PENDING;
            String reason = to == ClusterStatus.FAILED
                    ? "provisioning was lost " + lost.size() + " times (dind.provisioning.max-attempts is "
                            + maxAttempts + "): " + String.join("; ", lost)
                    : "attempt " + attempt + (counts ? " was lost: " : " was handed back: ") + why
                            + "; it is provisioned again" + (counts ? " (" + lost.size() + " of " + maxAttempts
                            + " attempts lost)" : ", which costs no attempt");
            return new Change(to, reason, attempt, lost);
        }).map(Change::to);
    }

    /** A status change as it is written: the new status, its reason, and the attempts it leaves on the row. */
    private record Change(ClusterStatus to, String reason, int attempts, List<String> lostAttempts) {
    }

    /**
     * The one optimistic-locking loop every status change goes through: reads the row, computes the change from
     * it while it is still in {@code from}, and writes it against the version read, again on a conflict.
     *
     * @return the change written; empty when the cluster is not in {@code from} (any more)
     */
    private Optional<Change> change(String id, ClusterStatus from, java.util.function.Function<ClusterRow, Change> next) {
        for (int conflict = 0; conflict < MAX_CONFLICT_RETRIES; conflict++) {
            Optional<ClusterRow> found = repository.findById(id);
            if (found.isEmpty() || found.get().status() != from) {
                return Optional.empty();
            }
            ClusterRow row = found.get();
            Change change = next.apply(row);
            if (repository.updateStatus(row, change.to(), change.reason(), now(), change.attempts(),
                    change.lostAttempts())) {
                recorded(row, change.to(), change.attempts(), change.reason());
                return Optional.of(change);
            }
        }
        return Optional.empty();
    }

    private void recorded(ClusterRow row, ClusterStatus to, int attempt, String reason) {
        recordStatus(row.id(), to, attempt, reason);
        log.info("cluster {} ({}) is {}{}", row.name(), row.id(), to, reason == null ? "" : ": " + reason);
    }

    void recordStatus(String id, ClusterStatus status, int attempt, String reason) {
        events.status(id, status.name(), attempt == 0 ? null : attempt,
                reason == null ? "status " + status : "status " + status + ": " + reason);
    }

    /** Records the containers the cluster has now: its nodes and, for ipMode ipv6, its DNS64 and NAT64. */
    @Transactional
    public void recordContainers(String id, List<Node> nodes, List<SupportContainer> supportContainers) {
        repository.updateContainers(id, nodes, supportContainers, now());
    }

    /** A failing cluster keeps its containers (retainOnFailure), or, torn down at last, no longer has any. */
    public void retainContainers(String id, boolean retained) {
        repository.setContainersRetained(id, retained);
    }

    /** Whether a FAILED cluster kept its containers: they are its own, not leftovers. */
    public boolean retainsContainers(String id) {
        return repository.containersRetained(id);
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

    /** Hands the work back at once, leaving {@code replica}'s name on it for whoever takes it over. */
    public void expireClaim(String id, String replica) {
        repository.expireClaim(id, replica, Instant.EPOCH);
    }

    /** Clusters with work to do that no live replica holds: id, status, Docker host and the replica that held it. */
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
