package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.SupportContainer;
import io.dindclusters.docker.ContainerAddresses;
import io.dindclusters.docker.ContainerRequest;
import io.dindclusters.docker.DockerEngine;
import io.dindclusters.docker.SupportImages;
import io.dindclusters.nat64.NamedConf;
import io.dindclusters.nat64.Nat64Plan;
import io.dindclusters.network.IpMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The DNS64 server of an IPv6-only cluster: bind9 at the node subnet's ::100, forwarding over its IPv4 side to the
 * remote server and synthesizing AAAA records in the cluster's prefix. Starts beside the nodes; ready when it answers.
 */
@Component
class StartDns64Step implements ProvisioningStep {

    static final Duration READY_DEADLINE = Duration.ofSeconds(30);
    static final Map<String, String> SYSCTLS = Map.of(
            "net.ipv6.conf.all.disable_ipv6", "0",
            "net.ipv6.conf.default.disable_ipv6", "0");

    private final DockerEngine engine;
    private final SupportImages images;
    private final ContainerCommands commands;
    private final UplinkProperties uplink;

    StartDns64Step(DockerEngine engine, SupportImages images, ContainerCommands commands, UplinkProperties uplink) {
        this.engine = engine;
        this.images = images;
        this.commands = commands;
        this.uplink = uplink;
    }

    @Override
    public int stage() {
        return 200;
    }

    @Override
    public String name() {
        return "start-dns64";
    }

    @Override
    public boolean appliesTo(ClusterSpec spec) {
        return spec.ipMode() == IpMode.ipv6;
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        Nat64Plan plan = Nat64Plan.of(context.spec().network());
        String image = images.ensure("dns64");
        String name = context.spec().name() + "-" + SupportContainer.DNS64;
        String id = engine.runContainer(ContainerRequest.of(name, image, context.networkName(),
                        context.labels(SupportContainer.DNS64))
                .withIpv6Address(plan.dns64Address())
                .withSysctls(SYSCTLS)
                .withFiles(Map.of("/etc/bind/named.conf", NamedConf.render(plan)))
                .withExtraNetworks(uplink.networks()));
        ContainerAddresses addresses = engine.addresses(id, context.networkName());
        context.supportContainer(new SupportContainer(name, SupportContainer.DNS64, addresses.ipv6(), addresses.ipv4()));
        context.events().log("DNS64 " + name + " (" + image + ") at " + addresses.ipv6() + ", forwarding to "
                + plan.remoteServer() + ", prefix " + plan.prefix()
                + (plan.allowAaaaUse() ? ", real AAAA records allowed" : ", every answer synthesized"));
        // named answers its own CHAOS-class version query as soon as it serves.
        commands.awaitSuccess(name, List.of("dig", "+short", "+time=1", "+tries=1", "@127.0.0.1",
                "version.bind", "chaos", "txt"), READY_DEADLINE);
        context.events().log("DNS64 answers");
    }
}
