package io.dindclusters.pool;

import io.dindclusters.cluster.Cluster;
import io.dindclusters.cluster.ClusterService;
import io.dindclusters.cluster.ClusterStatus;
import io.dindclusters.provision.ProvisioningProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps every pool at its size, on every replica: each look runs under the allocation lock creates take, so replicas
 * take turns, never overfill a pool, and a retirement never meets a claim. Refills are bounded
 * ({@code dind.pool-refill.concurrency} per pool) and yield to creates: a pool starts a cluster only while fewer than
 * {@code dind.provisioning.max-concurrent-clusters} - 1 are being made in all, so a user's create always finds a
 * provisioning slot free. Ready clusters past max-idle-age, a pool's surplus and the clusters of pools no longer
 * configured are torn down; a pool whose latest cluster failed waits longer before the next (up to 5 minutes).
 */
@Component
class PoolRefiller {

    private static final Logger log = LoggerFactory.getLogger(PoolRefiller.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** Failed clusters a pool keeps for their logs and reason; older ones are removed. */
    private static final int FAILED_KEPT = 6;

    private final Pools pools;
    private final ClusterService clusters;
    private final PoolProperties properties;
    private final ProvisioningProperties provisioning;
    private final PoolMeters meters;
    /** What the last look saw, for the gauges; refreshed every look. */
    private volatile List<PoolStatus> seen = List.of();
    private final Map<String, String> lastRefusal = new ConcurrentHashMap<>();
    private volatile boolean orphansChecked;

    PoolRefiller(Pools pools, ClusterService clusters, PoolProperties properties, ProvisioningProperties provisioning,
                 PoolMeters meters) {
        this.pools = pools;
        this.clusters = clusters;
        this.properties = properties;
        this.provisioning = provisioning;
        this.meters = meters;
        meters.watch(() -> seen);
    }

    @Scheduled(initialDelayString = "${dind.pool-refill.interval:2s}", fixedDelayString = "${dind.pool-refill.interval:2s}")
    void refill() {
        if (pools.all().isEmpty() && orphansChecked) {
            return; // nothing to keep; clusters of pools configured before were retired by the first look
        }
        try {
            clusters.allocating(() -> {
                look();
                return null;
            });
            orphansChecked = true;
        } catch (RuntimeException e) {
            log.warn("pool refill failed; next look in {}: {}", properties.poolRefill().interval(), e.toString());
        }
    }

    /** One look at every pool, with the allocation lock held. */
    void look() {
        List<Cluster> unclaimed = clusters.unclaimedPoolClusters();
        Instant now = Instant.now();
        for (Cluster c : unclaimed) {
            if (pools.named(c.pool()).isEmpty()) {
                retire(c, "its warm pool " + c.pool() + " is no longer configured");
            }
        }
        long beingMade = clusters.beingMade();
        for (PoolDefinition pool : pools.all()) {
            List<Cluster> own = unclaimed.stream().filter(c -> pool.name().equals(c.pool())).toList();
            beingMade += keep(pool, own, beingMade, now);
        }
        seen = statuses();
    }

    /** Brings one pool to its size; returns how many clusters it started. */
    private int keep(PoolDefinition pool, List<Cluster> own, long beingMade, Instant now) {
        List<Cluster> ready = new java.util.ArrayList<>();
        int making = 0;
        for (Cluster c : own) {
            if (PoolStatus.beingMade(c)) {
                making++;
            } else if (c.status() == ClusterStatus.RUNNING && c.containersProblem() != null) {
                retire(c, "its containers stopped while it waited in warm pool " + pool.name() + ": "
                        + c.containersProblem());
            } else if (c.status() == ClusterStatus.RUNNING && c.createdAt().plus(pool.maxIdleAge()).isBefore(now)) {
                retire(c, "nobody claimed it within max-idle-age " + pool.maxIdleAge() + " of warm pool "
                        + pool.name() + ": replaced by a fresh one");
            } else if (c.status() == ClusterStatus.RUNNING) {
                ready.add(c);
            }
        }
        // surplus (the size went down): the newest ready ones go, the oldest stay for the next claims
        ready.sort(Comparator.comparing(Cluster::createdAt));
        while (!ready.isEmpty() && ready.size() + making > pool.size()) {
            retire(ready.remove(ready.size() - 1), "warm pool " + pool.name() + " holds more than its size "
                    + pool.size());
        }
        List<Cluster> failed = own.stream().filter(c -> c.status() == ClusterStatus.FAILED)
                .sorted(Comparator.comparing(Cluster::createdAt).reversed()).toList();
        Cluster failure = PoolStatus.latestFailure(own);
        for (int i = failure == null ? 0 : FAILED_KEPT; i < failed.size(); i++) {
            retire(failed.get(i), failure == null ? "a later cluster of warm pool " + pool.name() + " came up"
                    : "warm pool " + pool.name() + " keeps its " + FAILED_KEPT + " latest failed clusters");
        }
        if (failure != null && now.isBefore(failure.updatedAt().plus(backoff(failed.size())))) {
            return 0;
        }
        // One provisioning slot stays free for a user's create (unless there is only one): pool work never makes
        // a create wait for a slot.
        long slots = Math.max(1, provisioning.maxConcurrentClusters() - 1);
        long room = Math.min(Math.min(pool.size() - ready.size() - making,
                (long) properties.poolRefill().concurrency() - making), slots - beingMade);
        if (ready.size() + making >= pool.size()) {
            lastRefusal.remove(pool.name()); // full: nothing stands in its way
        }
        int started = 0;
        for (int i = 0; i < room; i++) {
            try {
                clusters.addToPool(pool);
                started++;
                lastRefusal.remove(pool.name());
            } catch (RuntimeException e) {
                // a full quota, every host busy: the next look tries again; said once, not every look
                String why = e instanceof org.springframework.web.ErrorResponse problem
                        ? problem.getBody().getDetail() : String.valueOf(e.getMessage());
                if (!why.equals(lastRefusal.put(pool.name(), why))) {
                    log.warn("warm pool {} cannot add a cluster now: {}", pool.name(), why);
                }
                break;
            }
        }
        return started;
    }

    /** 10 s after the first failure in a row, doubling, at most 5 minutes. */
    static Duration backoff(int failures) {
        Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(Math.max(failures - 1, 0), 10));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private void retire(Cluster c, String reason) {
        if (c.status() != ClusterStatus.DELETING && clusters.retireFromPool(c.id(), reason)) {
            log.info("cluster {} of warm pool {} retired: {}", c.name(), c.pool(), reason);
        }
    }

    /** What each pool holds now, read afresh (GET /pools). */
    List<PoolStatus> statuses() {
        List<Cluster> unclaimed = clusters.unclaimedPoolClusters();
        Map<String, long[]> counts = clusters.poolCounts();
        return pools.all().stream().map(p -> PoolStatus.of(p, unclaimed, counts.get(p.name()),
                lastRefusal.get(p.name()))).toList();
    }
}
