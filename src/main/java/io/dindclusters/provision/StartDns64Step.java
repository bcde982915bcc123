package io.dindclusters.provision;

import io.dindclusters.cluster.SupportContainer;
import io.dindclusters.docker.ContainerAddresses;
import io.dindclusters.docker.ContainerRequest;
import io.dindclusters.nat64.NamedConf;
import io.dindclusters.nat64.Nat64Plan;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The DNS64 server of an IPv6-only cluster: bind9 at the node subnet's ::100, forwarding over its IPv4 side to the
 * remote server and synthesizing AAAA records in the cluster's prefix. Ready when it answers. Its configuration goes
 * in as an environment variable, not a copy into the created container: five such copies at once cost 100-170 ms
 * each here, before any start.
 */
@Component
class StartDns64Step extends StartSupportContainerStep {

    @Override
    public String name() {
        return "start-dns64";
    }

    @Override
    String role() {
        return SupportContainer.DNS64;
    }

    @Override
    String address(Nat64Plan plan) {
        return plan.dns64Address();
    }

    /** The image's entry point (dns64-start) writes named.conf from the variable. */
    @Override
    void configure(ContainerRequest request, Nat64Plan plan) {
        request.withSysctls(KernelSettings.IPV6)
                .withEnvironment(Map.of("DIND_NAMED_CONF", NamedConf.render(plan)));
    }

    /** named answers its own CHAOS-class version query as soon as it serves. */
    @Override
    List<String> readinessCommand() {
        return List.of("dig", "+short", "+time=1", "+tries=1", "@127.0.0.1", "version.bind", "chaos", "txt");
    }

    @Override
    String summary(Nat64Plan plan, String image, ContainerAddresses addresses, List<String> uplinks) {
        return "DNS64 (" + image + ") at " + addresses.ipv6() + ", forwarding to " + plan.remoteServer()
                + ", prefix " + plan.prefix()
                + (plan.allowAaaaUse() ? ", real AAAA records allowed" : ", every answer synthesized");
    }
}
