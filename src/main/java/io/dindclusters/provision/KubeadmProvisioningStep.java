package io.dindclusters.provision;

import io.dindclusters.cluster.Bootstrap;
import io.dindclusters.cluster.ClusterSpec;

/** A step of the Kubernetes bootstrap: it runs only for clusters with {@code bootstrap: kubeadm}. */
interface KubeadmProvisioningStep extends ProvisioningStep {

    @Override
    default boolean appliesTo(ClusterSpec spec) {
        return spec.bootstrap() == Bootstrap.kubeadm;
    }
}
