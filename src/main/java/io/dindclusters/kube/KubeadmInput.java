package io.dindclusters.kube;

import io.dindclusters.cluster.Node;
import java.util.List;

/**
 * What the kubeadm configuration of one cluster is rendered from: validated, filled-in values only.
 *
 * @param clusterName   the cluster's name (a DNS label)
 * @param ipv6Primary   whether IPv6 is the primary family (ipMode ipv6, or dual with an IPv6 service CIDR first)
 * @param ipv6Only      ipMode ipv6: bind addresses become IPv6
 * @param podSubnets    pod CIDRs, primary family first
 * @param serviceCidrs  service CIDRs, primary family first
 * @param nodes         every node with its fixed addresses; the first is the control plane
 * @param token         the bootstrap token workers join with ([a-z0-9]{6}.[a-z0-9]{16})
 * @param extraSans     names and addresses users reach the API server by, besides the control plane's own
 */
public record KubeadmInput(String clusterName, KubernetesVersion version, boolean ipv6Primary, boolean ipv6Only,
                           List<String> podSubnets, List<String> serviceCidrs, List<Node> nodes, String token,
                           List<String> extraSans) {

    public static final int API_SERVER_PORT = 6443;

    public Node controlPlane() {
        return nodes.get(0);
    }

    /** A node's addresses for kubelet's node-ip, primary family first. */
    public List<String> nodeIps(Node node) {
        List<String> ips = new java.util.ArrayList<>();
        if (node.ipv4() != null) {
            ips.add(node.ipv4());
        }
        if (node.ipv6() != null) {
            ips.add(ipv6Primary ? 0 : ips.size(), node.ipv6());
        }
        return ips;
    }

    /** host:port of the API server on the cluster network, IPv6 in brackets. */
    public String controlPlaneEndpoint() {
        String address = nodeIps(controlPlane()).get(0);
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + API_SERVER_PORT;
    }
}
