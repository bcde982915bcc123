package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.docker.ContainerAddresses;
import io.dindclusters.docker.ContainerRequest;
import io.dindclusters.docker.DockerEngine;
import io.dindclusters.docker.NodeSecurityResolver;
import io.dindclusters.network.IpMode;
import io.dindclusters.network.PodPrefixes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The control plane and the workers, created concurrently, named as kind names them. */
@Component
class CreateNodesStep implements ProvisioningStep {

    private final DockerEngine engine;
    private final NodeSecurityResolver security;
    private final UplinkProperties uplink;

    CreateNodesStep(DockerEngine engine, NodeSecurityResolver security, UplinkProperties uplink) {
        this.engine = engine;
        this.security = security;
        this.uplink = uplink;
    }

    @Override
    public int stage() {
        return 200;
    }

    @Override
    public String name() {
        return "create-nodes";
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        ClusterSpec spec = context.spec();
        if (!engine.imageExists(spec.nodeImage())) {
            throw new StepFailedException("node image " + spec.nodeImage() + " is not on the Docker engine; "
                    + "build or load it there first");
        }
        var resolution = security.resolve(spec.nodeImage(), context.labels("probe"));
        context.events().log(resolution.explanation());

        Map<String, String> sysctls = sysctls(spec.ipMode());
        context.nodes(context.forEachConcurrently(plan(spec), node -> {
            String name = node.name();
            List<String> prefixes = node.podPrefixes();
            String id = engine.runContainer(ContainerRequest.of(name, spec.nodeImage(), context.networkName(),
                            context.labels(node.role()))
                    .withSecurity(resolution.security())
                    .withSysctls(sysctls)
                    .withExtraNetworks(spec.ipMode() == IpMode.ipv6 ? List.of() : uplink.networks()));
            ContainerAddresses found = engine.addresses(id, context.networkName());
            // IPv6-only nodes drop the IPv4 address Docker gives them (configure-ipv6-only-nodes): never show it.
            var addresses = spec.ipMode() == IpMode.ipv6 ? new ContainerAddresses(null, found.ipv6()) : found;
            context.events().log("node " + name + " started (" + id.substring(0, 12) + ") at "
                    + String.join(", ", java.util.stream.Stream.of(addresses.ipv4(), addresses.ipv6())
                            .filter(java.util.Objects::nonNull).toList())
                    + "; pods " + String.join(", ", prefixes));
            return new Node(name, node.role(), addresses.ipv4(), addresses.ipv6(), prefixes);
        }));
    }

    record PlannedNode(String name, String role, List<String> podPrefixes) {
    }

    /** Set at creation: /proc/sys is read-only later. Nodes route pod prefixes, so they forward. */
    static Map<String, String> sysctls(IpMode mode) {
        Map<String, String> sysctls = new java.util.TreeMap<>();
        sysctls.put("net.ipv4.ip_forward", "1");
        if (mode != IpMode.ipv4) {
            sysctls.put("net.ipv6.conf.all.disable_ipv6", "0");
            sysctls.put("net.ipv6.conf.default.disable_ipv6", "0");
            sysctls.put("net.ipv6.conf.all.forwarding", "1");
        }
        return sysctls;
    }

    /** kind's names (NAME-control-plane, NAME-worker, NAME-worker2, ...), each with its share of the pod subnet. */
    static List<PlannedNode> plan(ClusterSpec spec) {
        List<List<String>> podPrefixes = PodPrefixes.carve(spec.networkOrEmpty().podSubnet(), spec.workers() + 1);
        List<PlannedNode> nodes = new ArrayList<>();
        nodes.add(new PlannedNode(spec.name() + "-control-plane", Node.CONTROL_PLANE, podPrefixes.get(0)));
        for (int i = 1; i <= spec.workers(); i++) {
            nodes.add(new PlannedNode(spec.name() + "-worker" + (i == 1 ? "" : Integer.toString(i)), Node.WORKER,
                    podPrefixes.get(i)));
        }
        return nodes;
    }
}
