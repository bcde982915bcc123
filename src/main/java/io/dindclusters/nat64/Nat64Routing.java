package io.dindclusters.nat64;

/**
 * What the NAT64 gateway's entry point applies before Tayga runs, rendered only from a {@link Nat64Plan}: routes
 * taking the prefix and the pool into Tayga's tun device ({@code ip -batch}), and masquerading of the pool out of
 * whichever IPv4 side a packet leaves by ({@code iptables-restore}), so nothing on the Docker host is touched.
 */
public final class Nat64Routing {

    private Nat64Routing() {
    }

    public static String routes(Nat64Plan plan) {
        return "link set " + TaygaConf.TUN_DEVICE + " up\n"
                + "route replace " + plan.pool() + " dev " + TaygaConf.TUN_DEVICE + "\n"
                + "route replace " + plan.prefix() + " dev " + TaygaConf.TUN_DEVICE + "\n";
    }

    public static String rules(Nat64Plan plan) {
        return "*nat\n"
                + "-A POSTROUTING -s " + plan.pool() + " -j MASQUERADE\n"
                + "COMMIT\n";
    }
}
