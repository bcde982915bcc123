package io.dindclusters.provision;

import io.dindclusters.cluster.Node;
import io.dindclusters.kube.ClusterReadiness;
import io.dindclusters.kube.KubernetesClients;
import io.dindclusters.kube.KubernetesProperties;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.springframework.stereotype.Component;

/**
 * The last step: every node Ready, kube-proxy Ready on each, and CoreDNS Ready, asked of the API server through the
 * published port with fabric8 and the stored kubeconfig (its CA verified), within
 * {@code dind.kubernetes.ready-timeout}. Then the cluster is RUNNING.
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
                    kubernetes.readyTimeout(), context.events()::log, context::stopRequested);
        } catch (ClusterReadiness.NotReadyException e) {
            throw new StepFailedException(e.getMessage());
        } catch (KubernetesClientException e) {
            // fabric8's own message is generic ("An error has occurred"): the cause says what (TLS, key, address)
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new StepFailedException("the kubeconfig kubeadm wrote does not lead to the API server: "
                    + e.getMessage() + (cause == e ? "" : " (" + cause + ")"));
        }
    }
}
