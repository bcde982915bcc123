package io.dindclusters.pool;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.network.NetworkSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A validated pool: its spec as configured, and with every default filled in (what its clusters are made with).
 */
public record PoolDefinition(String name, ClusterSpec configured, ClusterSpec filled, int size, Duration maxIdleAge) {

    /**
     * Whether a create asking for {@code requested} (which became {@code defaulted} once filled in) may be served by
     * this pool without naming it: the same kind of cluster, and nothing that a made cluster cannot change into.
     */
    public boolean matches(ClusterSpec requested, ClusterSpec defaulted) {
        return requested.pool() == null
                && (requested.network() == null || requested.network().equals(NetworkSpec.EMPTY))
                && sameKind(defaulted);
    }

    /** Same ipMode, workers, node image and bootstrap: what a ready cluster cannot change. */
    boolean sameKind(ClusterSpec defaulted) {
        return differences(defaulted).isEmpty();
    }

    /** A request field whose filled-in value is not the pool's. */
    record Difference(String field, Object pools, Object asked) {
    }

    /** Where a filled-in spec differs from this pool's in what a ready cluster cannot change, in field order. */
    List<Difference> differences(ClusterSpec defaulted) {
        List<Difference> differences = new ArrayList<>();
        differ(differences, "ipMode", filled.ipMode(), defaulted.ipMode());
        differ(differences, "workers", filled.workers(), defaulted.workers());
        differ(differences, "nodeImage", filled.nodeImage(), defaulted.nodeImage());
        differ(differences, "bootstrap", filled.bootstrap(), defaulted.bootstrap());
        return differences;
    }

    private static void differ(List<Difference> differences, String field, Object pools, Object asked) {
        if (!Objects.equals(pools, asked)) {
            differences.add(new Difference(field, pools, asked));
        }
    }
}
