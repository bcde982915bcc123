package io.dindclusters.provision;

import io.dindclusters.cluster.Node;
import io.dindclusters.kube.ClusterReadiness;
import io.dindclusters.kube.KubernetesClients;
import io.dindclusters.kube.KubernetesProperties;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.springframework.stereotype.Component;

/**
 * The last step: every node Ready, kube-proxy running on each, and CoreDNS running, asked of the API server through
 * the published port with fabric8, within {@code dind.kubernetes.ready-timeout}. Then the cluster is RUNNING.
 */
@Component
class WaitUntilReadyStep implements KubeadmProvisioningStep {

    private final KubernetesClients clients;
    private final KubernetesProperties kubernetes;

    WaitUntilReadyStep(KubernetesClients clients, KubernetesProperties kubernetes) {
        this.clients = clients;
        this.kubernetes = kubernetes;
    }

    @Override
    public int stage() {
        return 450;
    }

    @Override
    public String name() {
        return "wait-until-ready";
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        try (KubernetesClient client = clients.connect(context.kubernetes().kubeconfig())) {
            ClusterReadiness.await(client, context.nodes().stream().map(Node::name).toList(),
                    kubernetes.readyTimeout(), context.events()::log);
        } catch (ClusterReadiness.NotReadyException e) {
            throw new StepFailedException(e.getMessage());
        }
    }
}
