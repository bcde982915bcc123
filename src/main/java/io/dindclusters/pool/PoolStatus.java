package io.dindclusters.pool;

import io.dindclusters.cluster.Cluster;
import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.ClusterStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** A pool as GET /pools shows it: what it makes, and what it holds right now across every replica. */
@Schema(name = "Pool", description = "A warm pool: clusters of one spec kept RUNNING ahead of demand. A create "
        + "whose filled-in spec matches (or that names the pool) gets a ready one at once, with pooled: true.")
public record PoolStatus(
        @Schema(example = "ipv6-small") String name,
        @Schema(description = "What its clusters are made with, every default filled in (name and network are "
                + "each cluster's own).") ClusterSpec spec,
        @Schema(description = "How many clusters it keeps ready or being made.", example = "2") int size,
        @Schema(description = "A ready cluster nobody claimed for this long is replaced (ISO-8601).", example = "PT1H")
        String maxIdleAge,
        @Schema(description = "RUNNING clusters waiting to be claimed.", example = "2") int ready,
        @Schema(description = "Clusters PENDING or PROVISIONING for the pool.", example = "0") int beingMade,
        @Schema(description = "Creates served with a ready cluster, since the database was made.", example = "41")
        long hits,
        @Schema(description = "Creates it matched (or that named it) while it had no ready cluster: made on "
                + "demand.", example = "3") long misses,
        @Schema(description = "Why its latest cluster FAILED, while no later one came up; the pool then waits "
                + "longer between attempts (at most 5 minutes).",
                example = "step create-nodes failed: No such image: example/missing:1") String lastFailure,
        @Schema(description = "When that happened.") Instant lastFailureAt,
        @Schema(description = "Why the pool cannot add a cluster now, as the replica answering last found: a full "
                + "quota of the service, no Docker host that can take it. Absent while nothing stands in its way.",
                example = "the service has 20 live clusters; dind.quotas.max-clusters is 20. Delete clusters or wait "
                        + "for them to expire.") String blockedBy) {

    /**
     * Reads a pool's state from its unclaimed clusters, its counts ({hits, misses}, may be null) and what keeps it
     * from growing (null: nothing).
     */
    static PoolStatus of(PoolDefinition pool, List<Cluster> unclaimed, long[] counts, String blockedBy) {
        List<Cluster> own = unclaimed.stream().filter(c -> pool.name().equals(c.pool())).toList();
        int ready = (int) own.stream().filter(PoolStatus::ready).count();
        int making = (int) own.stream().filter(PoolStatus::beingMade).count();
        Cluster failed = latestFailure(own);
        return new PoolStatus(pool.name(), pool.filled(), pool.size(), pool.maxIdleAge().toString(), ready, making,
                counts == null ? 0 : counts[0], counts == null ? 0 : counts[1],
                failed == null ? null : failed.statusReason(), failed == null ? null : failed.updatedAt(),
                blockedBy);
    }

    /** PENDING or PROVISIONING: counts toward the pool's size, not yet claimable. */
    static boolean beingMade(Cluster c) {
        return c.status() == ClusterStatus.PENDING || c.status() == ClusterStatus.PROVISIONING;
    }

    /** RUNNING with all its containers up: a create may take it. */
    static boolean ready(Cluster c) {
        return c.status() == ClusterStatus.RUNNING && c.containersProblem() == null;
    }

    /** The pool's newest unclaimed cluster when it FAILED: no later attempt is under way or came up. */
    static Cluster latestFailure(List<Cluster> own) {
        return own.stream().filter(c -> c.status() != ClusterStatus.DELETING)
                .max(Comparator.comparing(Cluster::createdAt))
                .filter(c -> c.status() == ClusterStatus.FAILED).orElse(null);
    }

}
