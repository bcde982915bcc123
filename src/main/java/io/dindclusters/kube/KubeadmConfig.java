package io.dindclusters.kube;

import io.dindclusters.cluster.Node;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kubeadm configuration file of one node, as kind writes it: ClusterConfiguration, InitConfiguration,
 * KubeletConfiguration and KubeProxyConfiguration on the control plane; JoinConfiguration on workers. Rendered from
 * a {@link KubeadmInput} of validated values; every value is quoted.
 */
public final class KubeadmConfig {

    public static final String PATH = "/kind/kubeadm.conf";

    private KubeadmConfig() {
    }

    public static String render(KubeadmInput in, Node node) {
        return node.equals(in.controlPlane()) ? controlPlane(in) : worker(in, node);
    }

    private static String controlPlane(KubeadmInput in) {
        KubernetesVersion v = in.version();
        Node cp = in.controlPlane();
        StringBuilder y = new StringBuilder("# rendered by dind-clusters for cluster ").append(in.clusterName()).append('\n');
        y.append("apiVersion: ").append(v.kubeadmApiVersion()).append('\n')
                .append("kind: ClusterConfiguration\n")
                .append("kubernetesVersion: ").append(q(v.text())).append('\n')
                .append("clusterName: ").append(q(in.clusterName())).append('\n')
                .append("controlPlaneEndpoint: ").append(q(in.controlPlaneEndpoint())).append('\n')
                .append("apiServer:\n")
                .append("  certSANs:\n");
        for (String san : sans(in)) {
            y.append("  - ").append(q(san)).append('\n');
        }
        Map<String, String> apiServerArgs = new LinkedHashMap<>();
        if (in.ipv6Only()) {
            apiServerArgs.put("bind-address", "::");
        }
        args(y, "  ", apiServerArgs, v);
        y.append("controllerManager:\n");
        Map<String, String> cmArgs = new LinkedHashMap<>();
        cmArgs.put("enable-hostpath-provisioner", "true");
        // Pod prefixes are routed per node by dind-clusters, not allocated by the controller manager.
        cmArgs.put("allocate-node-cidrs", "false");
        if (in.ipv6Only()) {
            cmArgs.put("bind-address", "::");
        }
        args(y, "  ", cmArgs, v);
        y.append(in.ipv6Only() ? "scheduler:\n" : "scheduler: {}\n");
        args(y, "  ", in.ipv6Only() ? Map.of("bind-address", "::1") : Map.of(), v);
        y.append("networking:\n")
                .append("  podSubnet: ").append(q(String.join(",", in.podSubnets()))).append('\n')
                .append("  serviceSubnet: ").append(q(String.join(",", in.serviceCidrs()))).append('\n')
                .append("---\n")
                .append("apiVersion: ").append(v.kubeadmApiVersion()).append('\n')
                .append("kind: InitConfiguration\n")
                .append("bootstrapTokens:\n")
                .append("- token: ").append(q(in.token())).append('\n')
                .append("localAPIEndpoint:\n")
                .append("  advertiseAddress: ").append(q(in.nodeIps(cp).get(0))).append('\n')
                .append("  bindPort: ").append(KubeadmInput.API_SERVER_PORT).append('\n');
        nodeRegistration(y, in, cp, in.nodes().size() == 1);
        y.append("---\n")
                .append("apiVersion: kubelet.config.k8s.io/v1beta1\n")
                .append("kind: KubeletConfiguration\n")
                .append("cgroupDriver: systemd\n")
                .append("cgroupRoot: /kubelet\n")
                .append("failSwapOn: false\n");
        if (in.ipv6Only()) {
            y.append("address: \"::\"\n").append("healthzBindAddress: \"::\"\n");
        }
        // The node's disk is the Docker host's: kubelet must never try to reclaim it.
        y.append("imageGCHighThresholdPercent: 100\n")
                .append("evictionHard:\n")
                .append("  nodefs.available: \"0%\"\n")
                .append("  nodefs.inodesFree: \"0%\"\n")
                .append("  imagefs.available: \"0%\"\n")
                .append("---\n")
                .append("apiVersion: kubeproxy.config.k8s.io/v1alpha1\n")
                .append("kind: KubeProxyConfiguration\n")
                .append("mode: \"iptables\"\n")
                .append("clusterCIDR: ").append(q(String.join(",", in.podSubnets()))).append('\n')
                .append("iptables:\n")
                .append("  minSyncPeriod: 1s\n")
                .append("conntrack:\n")
                // 0: kube-proxy never writes nf_conntrack_max or the hashsize, which fail inside a container.
                .append("  maxPerCore: 0\n");
        return y.toString();
    }

    private static String worker(KubeadmInput in, Node node) {
        KubernetesVersion v = in.version();
        StringBuilder y = new StringBuilder("# rendered by dind-clusters for cluster ").append(in.clusterName()).append('\n');
        y.append("apiVersion: ").append(v.kubeadmApiVersion()).append('\n')
                .append("kind: JoinConfiguration\n");
        nodeRegistration(y, in, node, false);
        y.append("discovery:\n")
                .append("  bootstrapToken:\n")
                .append("    apiServerEndpoint: ").append(q(in.controlPlaneEndpoint())).append('\n')
                .append("    token: ").append(q(in.token())).append('\n')
                // A throwaway cluster on a private network: the token alone authenticates, as in kind.
                .append("    unsafeSkipCAVerification: true\n");
        return y.toString();
    }

    private static void nodeRegistration(StringBuilder y, KubeadmInput in, Node node, boolean untainted) {
        y.append("nodeRegistration:\n")
                .append("  name: ").append(q(node.name())).append('\n')
                .append("  criSocket: \"unix:///run/containerd/containerd.sock\"\n");
        if (untainted) {
            // A single control plane runs the workloads: no NoSchedule taint.
            y.append("  taints: []\n");
        }
        Map<String, String> kubelet = new LinkedHashMap<>();
        kubelet.put("node-ip", String.join(",", in.nodeIps(node)));
        kubelet.put("provider-id", "dind-clusters://" + in.clusterName() + "/" + node.name());
        y.append("  kubeletExtraArgs:\n");
        entries(y, "    ", kubelet, in.version());
    }

    /** The API server certificate's names: loopback, the control plane's addresses and name, and what users use. */
    static Set<String> sans(KubeadmInput in) {
        Set<String> sans = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        sans.addAll(in.nodeIps(in.controlPlane()));
        sans.add(in.controlPlane().name());
        sans.addAll(in.extraSans());
        return sans;
    }

    private static void args(StringBuilder y, String indent, Map<String, String> args, KubernetesVersion v) {
        if (args.isEmpty()) {
            return;
        }
        y.append(indent).append("extraArgs:\n");
        entries(y, indent + "  ", args, v);
    }

    private static void entries(StringBuilder y, String indent, Map<String, String> args, KubernetesVersion v) {
        for (var arg : args.entrySet()) {
            if (v.argumentsAsList()) {
                y.append(indent).append("- name: ").append(q(arg.getKey())).append('\n')
                        .append(indent).append("  value: ").append(q(arg.getValue())).append('\n');
            } else {
                y.append(indent).append(q(arg.getKey())).append(": ").append(q(arg.getValue())).append('\n');
            }
        }
    }

    /** A YAML double-quoted scalar; values are validated addresses, names and tokens, escaped all the same. */
    static String q(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
