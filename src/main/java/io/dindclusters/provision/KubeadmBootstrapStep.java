package io.dindclusters.provision;

import io.dindclusters.cluster.Bootstrap;
import io.dindclusters.cluster.ClusterSpec;
import org.springframework.stereotype.Component;

/**
 * The first Kubernetes step. kubeadm bootstrapping is not built yet, so a {@code bootstrap: kubeadm} cluster fails
 * here, cleanly and saying so, rather than reporting RUNNING without Kubernetes.
 */
@Component
class KubeadmBootstrapStep implements ProvisioningStep {

    @Override
    public int stage() {
        return 400;
    }

    @Override
    public String name() {
        return "kubeadm-bootstrap";
    }

    @Override
    public boolean appliesTo(ClusterSpec spec) {
        return spec.bootstrap() == Bootstrap.kubeadm;
    }

    @Override
    public void run(ProvisioningContext context) throws StepFailedException {
        throw new StepFailedException("bootstrap kubeadm is not available yet in this version of dind-clusters; "
                + "create the cluster with \"bootstrap\": \"none\" for nodes and networking only");
    }
}
