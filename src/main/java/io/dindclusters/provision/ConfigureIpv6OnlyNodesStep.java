package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.nat64.Nat64Plan;
import io.dindclusters.network.IpMode;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Makes the nodes of an IPv6-only cluster IPv6-only: Docker insists on an IPv4 subnet on every network, so each
 * node drops its IPv4 address (and with it every IPv4 route), resolves through the cluster's DNS64 server only, maps
 * its hostname to its IPv6 address, and routes the DNS64 prefix via the NAT64 gateway. Nodes are handled at once,
 * beside the pod-prefix routes.
 */
@Component
class ConfigureIpv6OnlyNodesStep implements ProvisioningStep {

    private final ContainerCommands commands;

    ConfigureIpv6OnlyNodesStep(ContainerCommands commands) {
        this.commands = commands;
    }

    @Override
    public int stage() {
        return 300;
    }

    @Override
    public String name() {
        return "configure-ipv6-only-nodes";
    }

    @Override
    public boolean appliesTo(ClusterSpec spec) {
        return spec.ipMode() == IpMode.ipv6;
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        Nat64Plan plan = Nat64Plan.of(context.spec().network());
        context.forEachConcurrently(context.nodes(), node -> {
            commands.run(node.name(), List.of("ip", "-4", "address", "flush", "scope", "global"));
            commands.replaceMountedFile(node.name(), "/etc/resolv.conf", resolvConf(plan));
            commands.replaceMountedFile(node.name(), "/etc/hosts", hosts(node));
            commands.run(node.name(), List.of("ip", "-6", "route", "replace", plan.prefix(), "via", plan.nat64Address()));
            context.events().log(node.name() + ": IPv4 removed; resolves through DNS64 " + plan.dns64Address()
                    + "; " + plan.prefix() + " via NAT64 " + plan.nat64Address());
            return node;
        });
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
}
