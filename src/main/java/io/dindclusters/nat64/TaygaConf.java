package io.dindclusters.nat64;

/** Tayga's configuration for a cluster's NAT64 gateway, rendered only from a {@link Nat64Plan}. */
public final class TaygaConf {

    /** The tun device Tayga creates; the gateway routes the prefix and the pool into it. */
    public static final String TUN_DEVICE = "nat64";

    private TaygaConf() {
    }

    public static String render(Nat64Plan plan) {
        return "# NAT64 of one dind-clusters cluster; rendered by the service, do not edit.\n"
                + "tun-device " + TUN_DEVICE + "\n"
                + "ipv4-addr " + plan.taygaAddress() + "\n"
                + "prefix " + plan.prefix() + "\n"
                + "dynamic-pool " + plan.pool() + "\n"
                + "data-dir /var/lib/tayga\n";
    }
}
