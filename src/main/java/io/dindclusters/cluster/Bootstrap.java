package io.dindclusters.cluster;

/** How the nodes become a cluster. Lower-case because that is the JSON value. */
public enum Bootstrap {
    /** kubeadm init on the control plane, kubeadm join on the workers. */
    kubeadm,
    /** Nodes and networking only, no Kubernetes. */
    none
}
