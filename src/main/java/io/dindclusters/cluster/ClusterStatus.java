package io.dindclusters.cluster;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** A cluster's life cycle, with the explicit table of the transitions allowed between its states. */
public enum ClusterStatus {
    PENDING, PROVISIONING, RUNNING, FAILED, DELETING, DELETED;

    private static final Map<ClusterStatus, Set<ClusterStatus>> ALLOWED = Map.of(
            PENDING, EnumSet.of(PROVISIONING, DELETING, FAILED),
            PROVISIONING, EnumSet.of(RUNNING, FAILED, DELETING, PENDING), // PENDING: an attempt was lost, it goes again
            RUNNING, EnumSet.of(DELETING),
            FAILED, EnumSet.of(DELETING),
            DELETING, EnumSet.of(DELETED, FAILED),
            DELETED, EnumSet.noneOf(ClusterStatus.class));

    public boolean canBecome(ClusterStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** A state nothing moves the cluster out of on its own: event streams end here. */
    public boolean isSettled() {
        return this == RUNNING || this == FAILED || this == DELETED;
    }

    /** Clusters in these states may own Docker objects and hold their name. */
    public boolean isLive() {
        return this != DELETED;
    }
}
