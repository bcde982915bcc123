package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.kube.KubeadmConfig;
import io.dindclusters.kube.KubernetesProperties;
import java.util.List;
import org.springframework.stereotype.Component;

/** {@code kubeadm join} on every worker at once, each one's output streamed into the events with its name. */
@Component
class KubeadmJoinStep implements KubeadmProvisioningStep {

    static final List<String> COMMAND = List.of("kubeadm", "join", "--config=" + KubeadmConfig.PATH,
            "--ignore-preflight-errors=all");

    private final KubernetesProperties kubernetes;

    KubeadmJoinStep(KubernetesProperties kubernetes) {
        this.kubernetes = kubernetes;
    }

    @Override
    public int stage() {
        return 440;
    }

    @Override
    public String name() {
        return "kubeadm-join";
    }

    @Override
    public boolean appliesTo(ClusterSpec spec) {
        return KubeadmProvisioningStep.super.appliesTo(spec) && spec.workers() > 0;
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        List<Node> workers = context.nodes().subList(1, context.nodes().size());
        context.forEachConcurrently(workers, worker -> {
            context.commands().runLogged(worker.name(), COMMAND, kubernetes.commandTimeout(), context.events());
            return worker;
        });
    }
}
