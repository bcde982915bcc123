package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.nat64.Nat64Plan;
import io.dindclusters.network.IpMode;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Makes a node of an IPv6-only cluster IPv6-only: Docker insists on an IPv4 subnet on every network, so the node
 * drops its IPv4 address (and with it every IPv4 route), resolves through the cluster's DNS64 server only, maps its
 * hostname to its IPv6 address, and routes the DNS64 prefix via the NAT64 gateway. Both sit at fixed addresses, so
 * this needs neither to have started.
 */
@Component
@Order(100)
class ConfigureIpv6OnlyNodeStep implements NodeStep {

    static final String DIRECTORY = "/etc/dind-clusters/ipv6-only/";
    static final String ROUTES_FILE = DIRECTORY + "routes.ip";

    @Override
    public String name() {
        return "configure-ipv6-only";
    }

    @Override
    public boolean appliesTo(ClusterSpec spec) {
        return spec.ipMode() == IpMode.ipv6;
    }

    @Override
    public Map<String, String> files(ClusterSpec spec, Node node, List<Node> nodes) {
        Nat64Plan plan = Nat64Plan.of(spec.network());
        return Map.of(DIRECTORY + "resolv.conf", resolvConf(plan), DIRECTORY + "hosts", hosts(node),
                ROUTES_FILE, routes(plan));
    }

    @Override
    public List<List<String>> commands(ClusterSpec spec, Node node, List<Node> nodes) {
        // Docker bind-mounts /etc/resolv.conf and /etc/hosts at start: cp writes into them where a copy cannot.
        return List.of(List.of("cp", DIRECTORY + "resolv.conf", DIRECTORY + "hosts", "/etc/"),
                List.of("ip", "-batch", ROUTES_FILE));
    }

    @Override
    public String summary(ClusterSpec spec, Node node, List<Node> nodes) {
        Nat64Plan plan = Nat64Plan.of(spec.network());
        return "IPv4 removed; resolves through DNS64 " + plan.dns64Address() + "; " + plan.prefix() + " via NAT64 "
                + plan.nat64Address();
    }

    static String resolvConf(Nat64Plan plan) {
        return "# dind-clusters: the cluster's DNS64 server only\nnameserver " + plan.dns64Address() + "\n";
    }

    static String hosts(Node node) {
        return "127.0.0.1\tlocalhost\n"
                + "::1\tlocalhost ip6-localhost ip6-loopback\n"
                + "fe00::0\tip6-localnet\n"
                + "ff00::0\tip6-mcastprefix\n"
                + "ff02::1\tip6-allnodes\n"
                + "ff02::2\tip6-allrouters\n"
                + node.ipv6() + "\t" + node.name() + "\n";
    }

    /** ip -batch lines: "to 0.0.0.0/0" limits the flush to IPv4 (a batch line cannot say -4). */
    static String routes(Nat64Plan plan) {
        return "address flush to 0.0.0.0/0 scope global\n"
                + "route replace " + plan.prefix() + " via " + plan.nat64Address() + "\n";
    }
}
