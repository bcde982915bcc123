package io.dindclusters.kube;

import io.fabric8.kubernetes.client.KubernetesClient;

/** Opens a client to a cluster's API server from its (rewritten) admin kubeconfig. */
public interface KubernetesClients {

    KubernetesClient connect(String kubeconfig);
}
