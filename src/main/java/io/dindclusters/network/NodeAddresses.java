package io.dindclusters.network;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed node addresses, as the prior art gives them: the control plane at host 2 of the node subnet (the gateway
 * has host 1), worker k at host k + 2, in each family. Known before any container exists, so every node can be set
 * up (routes to the others' pod prefixes) as soon as it starts. Hosts 0x100 and 0x200 stay free for DNS64 and NAT64;
 * the smallest node subnets (IPv4 /28, IPv6 /112) hold every node.
 */
public final class NodeAddresses {

    static final int FIRST_HOST = 2;

    /** A node's addresses; null where the subnet field has no such family. */
    public record Pair(String ipv4, String ipv6) {
    }

    private NodeAddresses() {
    }

    /**
     * @param subnet the spec's subnet field: one CIDR, or a comma-separated pair in dual mode
     * @param withIpv4 false for IPv6-only nodes, which get no IPv4 address even where the network has one
     */
    public static List<Pair> plan(String subnet, int nodes, boolean withIpv4) {
        IPAddress v4 = null;
        IPAddress v6 = null;
        for (IPAddress cidr : IpLiterals.cidrs(subnet)) {
            if (cidr.isIPv4()) {
                v4 = cidr;
            } else {
                v6 = cidr;
            }
        }
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            pairs.add(new Pair(withIpv4 ? host(v4, FIRST_HOST + i) : null, host(v6, FIRST_HOST + i)));
        }
        return pairs;
    }

    private static String host(IPAddress subnet, int offset) {
        if (subnet == null) {
            return null;
        }
        IPAddress host = subnet.getLower().withoutPrefixLength().increment(offset);
        if (!subnet.contains(host) || host.equals(subnet.getUpper().withoutPrefixLength())) {
            throw new IllegalArgumentException("node subnet " + subnet + " has no room for host " + offset);
        }
        return host.toCompressedString();
    }
}
