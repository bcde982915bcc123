package io.dindclusters.provision;

import io.dindclusters.cluster.SupportContainer;
import io.dindclusters.docker.ContainerAddresses;
import io.dindclusters.docker.ContainerRequest;
import io.dindclusters.nat64.Nat64Plan;
import io.dindclusters.nat64.Nat64Routing;
import io.dindclusters.nat64.TaygaConf;
import io.dindclusters.network.IpMode;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The NAT64 gateway of an IPv6-only cluster: Tayga at the node subnet's ::200, with NET_ADMIN and /dev/net/tun only
 * (not a privileged container). Tayga maps the prefix to its IPv4 pool; the pool is masqueraded out of the
 * container's IPv4 side, so nothing on the Docker host is touched. The image's entry point (nat64-start) writes out
 * Tayga's configuration, routes and rules from the container's environment (a copy into the created container would
 * delay its start), applies them, then marks itself ready and runs Tayga.
 */
@Component
class StartNat64Step extends StartSupportContainerStep {

    static final String READY_FILE = "/run/nat64.ready";

    @Override
    public String name() {
        return "start-nat64";
    }

    @Override
    String role() {
        return SupportContainer.NAT64;
    }

    @Override
    String address(Nat64Plan plan) {
        return plan.nat64Address();
    }

    @Override
    void configure(ContainerRequest request, Nat64Plan plan) {
        request.withSysctls(KernelSettings.router(IpMode.ipv6))
                .withCapabilities(List.of("NET_ADMIN"))
                .withDevices(List.of("/dev/net/tun"))
                .withEnvironment(Map.of(
                        "DIND_TAYGA_CONF", TaygaConf.render(plan),
                        "DIND_NAT64_ROUTES", Nat64Routing.routes(plan),
                        "DIND_NAT64_RULES", Nat64Routing.rules(plan)));
    }

    @Override
    List<String> readinessCommand() {
        return List.of("test", "-e", READY_FILE);
    }

    @Override
    String summary(Nat64Plan plan, String image, ContainerAddresses addresses, List<String> uplinks) {
        return "NAT64 (" + image + ") at " + addresses.ipv6() + ": " + plan.prefix() + " to pool " + plan.pool()
                + ", masqueraded out of " + addresses.ipv4()
                + (uplinks.isEmpty() ? "" : " and the uplink network " + uplinks.get(0));
    }
}
