-- Where users reach a kubeadm cluster's API server, and its Kubernetes version; NULL until kubeadm init.
ALTER TABLE clusters ADD COLUMN api_server VARCHAR(300);
ALTER TABLE clusters ADD COLUMN kubernetes_version VARCHAR(64);
