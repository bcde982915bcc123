package io.dindclusters.provision;

import io.dindclusters.cluster.Node;
import io.dindclusters.kube.KubeadmConfig;
import io.dindclusters.kube.Kubeconfigs;
import io.dindclusters.kube.KubernetesProperties;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * {@code kubeadm init} on the control plane, its output streamed into the events line by line; then the admin
 * kubeconfig, with {@code server:} pointed at the API server port published on the Docker host. The kubeconfig is
 * stored for GET /clusters/{id}/kubeconfig and never written to events or logs.
 */
@Component
class KubeadmInitStep implements KubeadmProvisioningStep {

    static final List<String> COMMAND = List.of("kubeadm", "init", "--config=" + KubeadmConfig.PATH,
            "--skip-token-print", "--ignore-preflight-errors=all");
    static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";

    private final KubernetesProperties kubernetes;

    KubeadmInitStep(KubernetesProperties kubernetes) {
        this.kubernetes = kubernetes;
    }

    @Override
    public int stage() {
        return 420;
    }

    @Override
    public String name() {
        return "kubeadm-init";
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        Node controlPlane = context.nodes().get(0);
        context.commands().runLogged(controlPlane.name(), COMMAND, kubernetes.commandTimeout(), context.events());
        String admin = context.commands().output(controlPlane.name(), List.of("cat", ADMIN_CONF));
        String apiServer = Kubeconfigs.url(context.host().publishing(context.spec().ipMode()).userHost(),
                context.apiServerHostPort());
        context.kubernetes(new ProvisioningContext.KubernetesAccess(context.kubernetes().version(), apiServer,
                Kubeconfigs.withServer(admin, apiServer)));
        context.events().log("the API server is published at " + apiServer
                + "; GET the cluster's kubeconfig link once it is RUNNING");
    }
}
