package io.dindclusters.provision;

import io.dindclusters.kube.KubernetesProperties;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * kind node images boot systemd, which starts containerd and kubelet: kubeadm must wait for it. "degraded" counts
 * as up, as in kind (some units fail inside a container and do not matter). An image without systemctl fails at
 * once, saying it is no kind node image.
 */
@Component
class WaitForSystemdStep implements KubeadmProvisioningStep {

    private static final Set<String> UP = Set.of("running", "degraded");

    private final KubernetesProperties kubernetes;

    WaitForSystemdStep(KubernetesProperties kubernetes) {
        this.kubernetes = kubernetes;
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
        context.forEachConcurrently(context.nodes(), node -> {
            try {
                context.commands().awaitOutput(node.name(), List.of("systemctl", "is-system-running"), UP::contains,
                        kubernetes.systemdTimeout(), "systemd was not up");
            } catch (StepFailedException e) {
                throw new StepFailedException(e.getMessage() + " (bootstrap kubeadm needs a kind node image such as "
                        + "kindest/node, which boots systemd)");
            }
            context.events().log(node.name() + ": systemd is up");
            return node;
        });
    }
}
