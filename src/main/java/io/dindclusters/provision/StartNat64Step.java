package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.SupportContainer;
import io.dindclusters.docker.ContainerAddresses;
import io.dindclusters.docker.ContainerRequest;
import io.dindclusters.docker.DockerEngine;
import io.dindclusters.docker.SupportImages;
import io.dindclusters.nat64.Nat64Plan;
import io.dindclusters.nat64.Nat64Routing;
import io.dindclusters.nat64.TaygaConf;
import io.dindclusters.network.IpMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The NAT64 gateway of an IPv6-only cluster: Tayga at the node subnet's ::200, with NET_ADMIN and /dev/net/tun only
 * (not a privileged container). Tayga maps the prefix to its IPv4 pool; the pool is masqueraded out of the
 * container's IPv4 side, so nothing on the Docker host is touched. Its configuration is written into the container
 * before it starts, so it is ready without a round trip per command.
 */
@Component
class StartNat64Step implements ProvisioningStep {

    static final Duration READY_DEADLINE = Duration.ofSeconds(30);
    static final String READY_FILE = "/run/nat64.ready";
    static final Map<String, String> SYSCTLS = Map.of(
            "net.ipv6.conf.all.disable_ipv6", "0",
            "net.ipv6.conf.default.disable_ipv6", "0",
            "net.ipv6.conf.all.forwarding", "1",
            "net.ipv4.ip_forward", "1");

    private final DockerEngine engine;
    private final SupportImages images;
    private final ContainerCommands commands;
    private final UplinkProperties uplink;

    StartNat64Step(DockerEngine engine, SupportImages images, ContainerCommands commands, UplinkProperties uplink) {
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
        return "start-nat64";
    }

    @Override
    public boolean appliesTo(ClusterSpec spec) {
        return spec.ipMode() == IpMode.ipv6;
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        Nat64Plan plan = Nat64Plan.of(context.spec().network());
        String image = images.ensure("nat64");
        String name = context.spec().name() + "-" + SupportContainer.NAT64;
        String id = engine.runContainer(ContainerRequest.of(name, image, context.networkName(),
                        context.labels(SupportContainer.NAT64))
                .withIpv6Address(plan.nat64Address())
                .withSysctls(SYSCTLS)
                .withCapabilities(List.of("NET_ADMIN"))
                .withDevices(List.of("/dev/net/tun"))
                .withFiles(Map.of(
                        "/etc/tayga.conf", TaygaConf.render(plan),
                        Nat64Routing.ROUTES_FILE, Nat64Routing.routes(plan),
                        Nat64Routing.RULES_FILE, Nat64Routing.rules(plan)))
                .withExtraNetworks(uplink.networks()));
        ContainerAddresses addresses = engine.addresses(id, context.networkName());
        context.supportContainer(new SupportContainer(name, SupportContainer.NAT64, addresses.ipv6(), addresses.ipv4()));
        // The image's entry point (nat64-start) routes and masquerades, then marks itself ready and runs Tayga.
        commands.awaitSuccess(name, List.of("test", "-e", READY_FILE), READY_DEADLINE);
        context.events().log("NAT64 " + name + " (" + image + ") at " + addresses.ipv6() + ": " + plan.prefix()
                + " to pool " + plan.pool() + ", masqueraded out of " + addresses.ipv4()
                + (uplink.networks().isEmpty() ? "" : " and the uplink network " + uplink.uplink()));
    }
}
