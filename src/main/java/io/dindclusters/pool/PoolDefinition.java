package io.dindclusters.pool;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.network.NetworkSpec;
import java.time.Duration;
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
        return defaulted.ipMode() == filled.ipMode() && Objects.equals(defaulted.workers(), filled.workers())
                && Objects.equals(defaulted.nodeImage(), filled.nodeImage())
                && defaulted.bootstrap() == filled.bootstrap();
    }
}
