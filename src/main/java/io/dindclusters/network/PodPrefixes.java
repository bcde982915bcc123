package io.dindclusters.network;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Carves a cluster's pod subnet into one prefix per node, for routing pods without an overlay (each node bridges
 * its own prefix; every other node routes it via that node's address). IPv4 nodes get a /24 (the pod subnet is at
 * most /20, so 16 fit); IPv6 nodes get a prefix 16 bits longer than the pod subnet (/64 gives /80s).
 */
public final class PodPrefixes {

    static final int IPV4_NODE_PREFIX = 24;
    static final int IPV6_EXTRA_BITS = 16;

    private PodPrefixes() {
    }

    /**
     * @param podSubnet the spec's podSubnet field: one CIDR, or a comma-separated pair in dual mode
     * @return for each node in order, its prefixes in the field's order
     */
    public static List<List<String>> carve(String podSubnet, int nodes) {
        List<List<String>> perNode = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            perNode.add(new ArrayList<>());
        }
        for (IPAddress subnet : IpLiterals.cidrs(podSubnet)) {
            int length = subnet.isIPv4() ? IPV4_NODE_PREFIX : subnet.getNetworkPrefixLength() + IPV6_EXTRA_BITS;
            Iterator<? extends IPAddress> blocks = new AddressPool(subnet, length).blocks();
            for (int i = 0; i < nodes; i++) {
                if (!blocks.hasNext()) {
                    throw new IllegalArgumentException("pod subnet " + subnet + " has room for fewer than " + nodes + " nodes");
                }
                perNode.get(i).add(blocks.next().toCompressedString());
            }
        }
        return perNode;
    }
}
