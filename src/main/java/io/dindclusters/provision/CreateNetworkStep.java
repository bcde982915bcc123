package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.docker.DockerEngine;
import io.dindclusters.network.IpMode;
import java.util.Arrays;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** A bridge network of the cluster's own, so its nodes see each other and nothing else's. */
@Component
@Order(100)
class CreateNetworkStep implements ProvisioningStep {

    static final String ROLE = "network";

    private final DockerEngine engine;

    CreateNetworkStep(DockerEngine engine) {
        this.engine = engine;
    }

    @Override
    public String name() {
        return "create-network";
    }

    @Override
    public void run(ProvisioningContext context) throws StepFailedException {
        ClusterSpec spec = context.spec();
        if (spec.ipMode() == IpMode.ipv6) {
            throw new StepFailedException("ipMode ipv6 is accepted and validated, but this version of dind-clusters "
                    + "does not provision IPv6-only networks (DNS64 and NAT64) yet; use ipv4 or dual");
        }
        String subnet = spec.networkOrEmpty().subnet();
        List<String> subnets = subnet == null ? List.of() : Arrays.stream(subnet.split(",")).map(String::trim).toList();
        String name = "dind-" + spec.name();
        String id = engine.createNetwork(name, context.labels(ROLE), subnets);
        context.networkName(name);
        context.events().log("network " + name + " (" + id.substring(0, 12) + ")"
                + (subnets.isEmpty() ? " with a subnet the engine chose" : " with subnet " + String.join(", ", subnets)));
    }
}
