package io.dindclusters.docker;

import java.util.Map;

/** The labels every Docker object this service creates carries, so it can always be found and removed. */
public final class Labels {

    public static final String CLUSTER = "io.dindclusters.cluster";
    public static final String ROLE = "io.dindclusters.role";
    public static final String INSTANCE = "io.dindclusters.instance";

    private Labels() {
    }

    /** What selects every object of one cluster of this service instance. */
    public static Map<String, String> ofCluster(String instance, String clusterId) {
        return Map.of(INSTANCE, instance, CLUSTER, clusterId);
    }

    public static Map<String, String> of(String instance, String clusterId, String role) {
        return Map.of(INSTANCE, instance, CLUSTER, clusterId, ROLE, role);
    }
}
