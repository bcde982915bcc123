package io.dindclusters.kube;

import io.dindclusters.cluster.Node;
import io.dindclusters.network.IpLiterals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod network of one node from what every kindest/node image ships in /opt/cni/bin, as kind's own (kindnet)
 * does it: ptp with host-local IPAM over the node's own pod prefixes (both families in dual), a default route per
 * family, the MTU of the node's interface; portmap for host ports. Other nodes reach the prefixes by the routes
 * dind-clusters adds (route-pod-prefixes), so no overlay is needed. ptp's own masquerading would hide pod addresses
 * from pods on other nodes, so it is off; {@link #masqueradeRules} masquerades only what leaves the cluster's pod
 * subnet instead (in ipv6 clusters that includes DNS64 and NAT64, which route nothing back to pod prefixes).
 */
public final class CniConfig {

    public static final String PATH = "/etc/cni/net.d/10-dind-clusters.conflist";
    public static final String PLUGIN_DIRECTORY = "/opt/cni/bin";
    /** Every plugin the configuration names: what install-cni checks for in each node. */
    public static final List<String> PLUGINS = List.of("ptp", "host-local", "portmap");
    public static final String MASQUERADE_IPV4 = "/etc/dind-clusters/pod-masquerade.ipv4";
    public static final String MASQUERADE_IPV6 = "/etc/dind-clusters/pod-masquerade.ipv6";
    static final String CHAIN = "DIND-CLUSTERS-MASQ";

    private CniConfig() {
    }

    public static String render(Node node, int mtu) {
        List<String> ranges = new ArrayList<>();
        List<String> routes = new ArrayList<>();
        for (String prefix : node.podPrefixes()) {
            ranges.add("[{\"subnet\": \"" + prefix + "\"}]");
            routes.add(isIpv4(prefix) ? "{\"dst\": \"0.0.0.0/0\"}" : "{\"dst\": \"::/0\"}");
        }
        return "{\n"
                + "  \"cniVersion\": \"1.0.0\",\n"
                + "  \"name\": \"dind-clusters\",\n"
                + "  \"plugins\": [\n"
                + "    {\n"
                + "      \"type\": \"ptp\",\n"
                + "      \"ipMasq\": false,\n"
                + "      \"mtu\": " + mtu + ",\n"
                + "      \"ipam\": {\n"
                + "        \"type\": \"host-local\",\n"
                + "        \"dataDir\": \"/run/cni-ipam-state\",\n"
                + "        \"ranges\": [" + String.join(", ", ranges) + "],\n"
                + "        \"routes\": [" + String.join(", ", routes) + "]\n"
                + "      }\n"
                + "    },\n"
                + "    {\n"
                + "      \"type\": \"portmap\",\n"
                + "      \"capabilities\": {\"portMappings\": true}\n"
                + "    }\n"
                + "  ]\n"
                + "}\n";
    }

    /**
     * iptables-restore input per family (file path to contents): traffic from this node's pods is masqueraded unless
     * it goes to the cluster's pod subnet of that family.
     *
     * @param podSubnets the cluster's pod subnets (one per family)
     */
    public static Map<String, String> masqueradeRules(Node node, List<String> podSubnets) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String prefix : node.podPrefixes()) {
            boolean ipv4 = isIpv4(prefix);
            String cluster = podSubnets.stream().filter(s -> isIpv4(s) == ipv4).findFirst().orElseThrow();
            files.put(ipv4 ? MASQUERADE_IPV4 : MASQUERADE_IPV6, "*nat\n"
                    + ":" + CHAIN + " - [0:0]\n"
                    + "-A POSTROUTING -s " + prefix + " -j " + CHAIN + "\n"
                    + "-A " + CHAIN + " -d " + cluster + " -j RETURN\n"
                    + "-A " + CHAIN + " -j MASQUERADE\n"
                    + "COMMIT\n");
        }
        return files;
    }

    private static boolean isIpv4(String cidr) {
        return IpLiterals.cidr(cidr).orElseThrow().isIPv4();
    }
}
