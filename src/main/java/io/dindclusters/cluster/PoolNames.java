package io.dindclusters.cluster;

/** How warm pools and the clusters they make are named and owned. */
public final class PoolNames {

    /** Leaves room for "-" and six random characters in a cluster name of at most 32. */
    public static final int MAX_LENGTH = 20;

    /** The owner of a pool's clusters until a create claims one: never a token's owner, which is a DNS label. */
    public static String owner(String pool) {
        return "pool:" + pool;
    }

    private PoolNames() {
    }
}
