package io.dindclusters.provision;

import io.dindclusters.cluster.Bootstrap;
import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.docker.ContainerRequest;
import io.dindclusters.docker.EngineFacts;
import io.dindclusters.docker.ImageProperties;
import io.dindclusters.docker.NodeSecurity;
import io.dindclusters.kube.KubernetesProperties;
import io.dindclusters.kube.KubeadmInput;
import io.dindclusters.network.IpMode;
import io.dindclusters.network.NodeAddresses;
import io.dindclusters.network.PodPrefixes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The control plane and the workers, created concurrently, named as kind names them, at fixed addresses. Without
 * Kubernetes each node is set up by the {@link NodeStep}s as soon as it has started; kind nodes only once their
 * systemd runs ({@link WaitForSystemdStep}). kubeadm needs privileged nodes: under the capabilities profile it is
 * refused here, before any node exists, unless the host allows it anyway (unsupported).
 */
@Component
class CreateNodesStep implements ProvisioningStep {

    private final List<NodeStep> nodeSteps;
    private final ImageProperties images;
    private final KubernetesProperties kubernetes;

    CreateNodesStep(List<NodeStep> nodeSteps, ImageProperties images, KubernetesProperties kubernetes) {
        this.nodeSteps = nodeSteps;
        this.images = images;
        this.kubernetes = kubernetes;
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
        if (!context.engine().imageExists(spec.nodeImage())) {
            if (!images.pullMissing()) {
                throw new StepFailedException("node image " + spec.nodeImage() + " is not on the Docker engine and "
                        + "dind.images.pull-missing is false; load it there first");
            }
            context.events().log("node image " + spec.nodeImage() + " is not on the engine; pulling it");
            context.engine().pullImage(spec.nodeImage(), images.pullTimeout(), context.events()::log);
        }
        boolean kubeadm = spec.bootstrap() == Bootstrap.kubeadm;
        var resolution = context.host().nodeSecurity().resolve(spec.nodeImage(), context.labels("probe"));
        context.events().log(resolution.explanation());
        // kubeadm under the capabilities profile: refused, or (unsupported) through the prelude, which then runs
        // what the image itself would have run
        boolean unprivileged = kubeadm && resolution.security() == NodeSecurity.capabilities;
        List<String> imageCommand = List.of();
        if (unprivileged) {
            if (context.host().refusesKubeadm()) { // known now that the profile is resolved
                throw new StepFailedException(KindNodes.refusal(context.host().name()));
            }
            context.events().log("UNSUPPORTED: bootstrap kubeadm without --privileged (unprivileged-kubeadm is set "
                    + "for Docker host " + context.host().name() + "); real kind node images do not boot this way");
            imageCommand = context.engine().imageCommand(spec.nodeImage());
        }
        EngineFacts facts = kubeadm ? context.host().facts() : null;
        List<String> command = imageCommand;

        Map<String, String> sysctls = KernelSettings.router(spec.ipMode());
        List<Node> nodes = plan(spec);
        NodeSetup setup = new NodeSetup(nodeSteps, spec, nodes);
        context.nodes(context.forEachConcurrently(nodes, node -> {
            // the node steps' files go in with their commands (NodeSetup), not in a copy that delays the start
            Map<String, String> files = unprivileged
                    ? Map.of(KindNodes.UNPRIVILEGED_ENTRYPOINT, KindNodes.unprivilegedEntrypoint()) : Map.of();
            boolean controlPlane = node.role().equals(Node.CONTROL_PLANE);
            var request = ContainerRequest.of(node.name(), spec.nodeImage(), context.networkName(),
                            context.labels(node.role()))
                    .withSecurity(resolution.security())
                    .withSysctls(sysctls)
                    .withIpv4Address(node.ipv4())
                    .withIpv6Address(node.ipv6())
                    .withFiles(files)
                    .withExtraNetworks(spec.ipMode() == IpMode.ipv6 ? List.of() : context.host().uplinkNetworks());
            if (kubeadm) {
                // As kind starts its nodes: /var on a volume of its own, the host's kernel modules to read, a
                // cgroup namespace of its own, the entrypoint as PID 1 with a terminal and one restart; the
                // control plane's API server published on the Docker host (on IPv6 for ipv6 clusters).
                request.asKindNode().withAnonymousVolumes(List.of("/var"))
                        .withReadOnlyHostPaths(List.of("/lib/modules")).withPrivateCgroupns()
                        .withEnvironment(KindNodes.environment(spec, controlPlane, kubernetes));
                if (facts.nodesNeedDeviceMapper()) {
                    request.withHostPaths(List.of("/dev/mapper"));
                }
                if (facts.usernsRemap()) {
                    request.withHostUserNamespace();
                }
                if (unprivileged) {
                    request.withEntrypoint(List.of("/bin/sh", KindNodes.UNPRIVILEGED_ENTRYPOINT))
                            .withCommand(command);
                }
                if (controlPlane) {
                    request.withPublishedPort(KubeadmInput.API_SERVER_PORT,
                            context.host().publishing(spec.ipMode()).address());
                }
            }
            String id = context.engine().runContainer(request);
            if (kubeadm && controlPlane) {
                context.apiServerHostPort(context.engine().publishedPort(id, KubeadmInput.API_SERVER_PORT));
            }
            context.events().log("node " + node.name() + " started (" + id.substring(0, 12) + ") at "
                    + String.join(", ", Stream.of(node.ipv4(), node.ipv6()).filter(Objects::nonNull).toList())
                    + "; pods " + String.join(", ", node.podPrefixes()));
            if (!kubeadm) {
                setup.apply(context, node);
            }
            return node;
        }));
    }

    /**
     * kind's names (NAME-control-plane, NAME-worker, NAME-worker2, ...), each with its fixed addresses and its share
     * of the pod subnet. IPv6-only nodes have no IPv4 address: the one Docker gives them is removed at once.
     */
    static List<Node> plan(ClusterSpec spec) {
        int count = spec.workers() + 1;
        List<List<String>> podPrefixes = PodPrefixes.carve(spec.networkOrEmpty().podSubnet(), count);
        List<NodeAddresses.Pair> addresses = NodeAddresses.plan(spec.networkOrEmpty().subnet(), count,
                spec.ipMode() != IpMode.ipv6);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = i == 0 ? spec.name() + "-control-plane"
                    : spec.name() + "-worker" + (i == 1 ? "" : Integer.toString(i));
            nodes.add(new Node(name, i == 0 ? Node.CONTROL_PLANE : Node.WORKER, addresses.get(i).ipv4(),
                    addresses.get(i).ipv6(), podPrefixes.get(i)));
        }
        return nodes;
    }
}
