package io.dindclusters.kube;

/**
 * CoreDNS of an IPv6-only cluster must forward to the cluster's DNS64 server: Docker's resolver is IPv4 and the
 * nodes have none. This is kubeadm's default Corefile with {@code forward} pointed there, as a ConfigMap to apply.
 */
public final class CoreDnsConfig {

    public static final String PATH = "/kind/coredns-configmap.yaml";

    private CoreDnsConfig() {
    }

    public static String render(String dns64Address) {
        return "apiVersion: v1\n"
                + "kind: ConfigMap\n"
                + "metadata:\n"
                + "  name: coredns\n"
                + "  namespace: kube-system\n"
                + "data:\n"
                + "  Corefile: |\n"
                + "    .:53 {\n"
                + "        errors\n"
                + "        health {\n"
                + "           lameduck 5s\n"
                + "        }\n"
                + "        ready\n"
                + "        kubernetes cluster.local in-addr.arpa ip6.arpa {\n"
                + "           pods insecure\n"
                + "           fallthrough in-addr.arpa ip6.arpa\n"
                + "           ttl 30\n"
                + "        }\n"
                + "        prometheus :9153\n"
                + "        forward . [" + dns64Address + "]:53 {\n"
                + "           max_concurrent 1000\n"
                + "        }\n"
                + "        cache 30\n"
                + "        loop\n"
                + "        reload\n"
                + "        loadbalance\n"
                + "    }\n";
    }
}
