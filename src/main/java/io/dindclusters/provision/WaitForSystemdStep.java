package io.dindclusters.provision;

import io.dindclusters.docker.DockerEngineException;
import io.dindclusters.kube.KubernetesProperties;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * kind node images boot systemd, which starts containerd and kubelet: kubeadm must wait for it. "degraded" counts
 * as up, as in kind (some units fail inside a container and do not matter). Until then the image's entrypoint is
 * still preparing the node (it needs the IPv4 default route and rewrites resolv.conf), so the {@link NodeStep}s run
 * on each node only once its systemd is up. An image without systemctl fails at once, saying it is no kind node
 * image; a node that dies while booting fails the cluster with the last lines of its log.
 */
@Component
class WaitForSystemdStep implements KubeadmProvisioningStep {

    private static final Set<String> UP = Set.of("running", "degraded");

    private final KubernetesProperties kubernetes;
    private final List<NodeStep> nodeSteps;

    WaitForSystemdStep(KubernetesProperties kubernetes, List<NodeStep> nodeSteps) {
        this.kubernetes = kubernetes;
        this.nodeSteps = nodeSteps;
    }

    @Override
    public int stage() {
        return 400;
    }

    @Override
    public String name() {
        return "wait-for-systemd";
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        NodeSetup setup = new NodeSetup(nodeSteps, context.spec(), context.nodes());
        context.forEachConcurrently(context.nodes(), node -> {
            try {
                context.commands().awaitOutput(node.name(), List.of("systemctl", "is-system-running"), UP::contains,
                        kubernetes.systemdTimeout(), "systemd was not up");
            } catch (StepFailedException e) {
                throw new StepFailedException(e.getMessage() + " (bootstrap kubeadm needs a kind node image such as "
                        + "kindest/node, which boots systemd)" + NodeLogs.tail(context, node.name()));
            } catch (DockerEngineException e) {
                // the node is gone or restarting: its entrypoint failed
                throw new StepFailedException("on " + node.name() + ", the node stopped while booting ("
                        + e.getMessage() + ")" + NodeLogs.tail(context, node.name()));
            }
            context.events().log(node.name() + ": systemd is up");
            setup.apply(context, node);
            return node;
        });
    }
}
