package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.network.IpMode;
import io.dindclusters.network.IpLiterals;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** A bridge network of the cluster's own, so its nodes see each other and nothing else's. */
@Component
class CreateNetworkStep implements ProvisioningStep {

    static final String ROLE = "network";


    CreateNetworkStep() {
    }

    @Override
    public int stage() {
        return 100;
    }

    @Override
    public String name() {
        return "create-network";
    }

    @Override
    public void run(ProvisioningContext context) {
        ClusterSpec spec = context.spec();
        List<String> subnets = new ArrayList<>();
        IpLiterals.cidrs(spec.networkOrEmpty().subnet()).forEach(c -> subnets.add(c.toCompressedString()));
        if (spec.ipMode() == IpMode.ipv6) {
            // Docker insists on an IPv4 subnet; only DNS64 and NAT64 keep an address in it.
            IpLiterals.cidrs(spec.networkOrEmpty().supportSubnet()).forEach(c -> subnets.add(c.toCompressedString()));
        }
        String name = "dind-" + spec.name();
        String id = context.engine().createNetwork(name, context.labels(ROLE), subnets);
        context.networkName(name);
        context.events().log("network " + name + " (" + id.substring(0, 12) + ")"
                + (subnets.isEmpty() ? " with a subnet the engine chose" : " with subnet " + String.join(", ", subnets)));
    }
}
