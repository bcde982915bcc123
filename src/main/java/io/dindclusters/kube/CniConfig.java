package io.dindclusters.kube;

import io.dindclusters.cluster.Node;
import io.dindclusters.network.IpLiterals;
import java.util.ArrayList;
import java.util.List;

/**
 * The CNI configuration of one node, as the prior art has it: the bridge plugin with host-local IPAM over the node's
 * own pod prefixes (both families in dual), a default route per family, masquerading of pod traffic that leaves
 * the node, hairpin mode; and portmap for host ports. Other nodes reach the prefixes by the routes dind-clusters
 * adds (route-pod-prefixes), so no overlay is needed.
 */
public final class CniConfig {

    public static final String PATH = "/etc/cni/net.d/10-dind-clusters.conflist";

    private CniConfig() {
    }

    public static String render(String clusterName, Node node) {
        List<String> ranges = new ArrayList<>();
        List<String> routes = new ArrayList<>();
        for (String prefix : node.podPrefixes()) {
            ranges.add("[{\"subnet\": \"" + prefix + "\"}]");
            routes.add(IpLiterals.cidr(prefix).orElseThrow().isIPv4() ? "{\"dst\": \"0.0.0.0/0\"}" : "{\"dst\": \"::/0\"}");
        }
        return "{\n"
                + "  \"cniVersion\": \"1.0.0\",\n"
                + "  \"name\": \"dind-clusters\",\n"
                + "  \"plugins\": [\n"
                + "    {\n"
                + "      \"type\": \"bridge\",\n"
                + "      \"bridge\": \"cni0\",\n"
                + "      \"isGateway\": true,\n"
                + "      \"isDefaultGateway\": true,\n"
                + "      \"ipMasq\": true,\n"
                + "      \"hairpinMode\": true,\n"
                + "      \"ipam\": {\n"
                + "        \"type\": \"host-local\",\n"
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
}
