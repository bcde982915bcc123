package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.docker.DockerHost;
import io.dindclusters.kube.KubeadmConfig;
import io.dindclusters.kube.KubeadmInput;
import io.dindclusters.kube.KubernetesVersion;
import io.dindclusters.network.IpLiterals;
import io.dindclusters.network.IpMode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Reads the node image's Kubernetes version (/kind/version) and writes each node's kubeadm configuration, rendered
 * for that version from the validated spec, onto every node at once.
 */
@Component
class WriteKubeadmConfigStep implements KubeadmProvisioningStep {

    private static final String TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public int stage() {
        return 410;
    }

    @Override
    public String name() {
        return "write-kubeadm-config";
    }

    @Override
    public void run(ProvisioningContext context) throws Exception {
        Node controlPlane = context.nodes().get(0);
        String versionText = context.commands().output(controlPlane.name(), List.of("cat", "/kind/version")).strip();
        KubernetesVersion version;
        try {
            version = KubernetesVersion.parse(versionText);
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("the node image's /kind/version does not name a Kubernetes version");
        }
        if (!version.isSupported()) {
            throw new StepFailedException("the node image runs Kubernetes " + version + "; dind-clusters supports 1."
                    + KubernetesVersion.OLDEST_MINOR + " and later");
        }
        context.kubernetes(new ProvisioningContext.KubernetesAccess(version, null, null));
        KubeadmInput input = input(context.spec(), context.nodes(), version, context.host());
        context.forEachConcurrently(context.nodes(), node -> {
            context.engine().copyFiles(node.name(), Map.of(KubeadmConfig.PATH, KubeadmConfig.render(input, node)));
            return node;
        });
        context.events().log("Kubernetes " + version + ": wrote " + KubeadmConfig.PATH + " ("
                + version.kubeadmApiVersion() + ") on " + context.nodes().size() + " node"
                + (context.nodes().size() == 1 ? "" : "s"));
    }

    KubeadmInput input(ClusterSpec spec, List<Node> nodes, KubernetesVersion version, DockerHost host) {
        var network = spec.network();
        List<String> services = IpLiterals.cidrs(network.serviceCidr()).stream().map(c -> c.toCompressedString()).toList();
        // The first service CIDR's family is the cluster's primary family; every list follows it.
        boolean ipv6Primary = !services.isEmpty() && services.get(0).contains(":");
        Comparator<String> primaryFirst = Comparator.comparing(c -> c.contains(":") != ipv6Primary);
        List<String> pods = new ArrayList<>(IpLiterals.cidrs(network.podSubnet()).stream()
                .map(c -> c.toCompressedString()).toList());
        pods.sort(primaryFirst);
        DockerHost.Publishing publishing = host.publishing(spec.ipMode());
        List<String> sans = new ArrayList<>(List.of(publishing.address()));
        sans.add(publishing.userHost());
        return new KubeadmInput(spec.name(), version, ipv6Primary, spec.ipMode() == IpMode.ipv6, pods, services,
                nodes, token(), sans.stream().distinct().toList());
    }

    /** A bootstrap token, [a-z0-9]{6}.[a-z0-9]{16}, new for every cluster. */
    static String token() {
        StringBuilder token = new StringBuilder();
        for (int i = 0; i < 23; i++) {
            token.append(i == 6 ? '.' : TOKEN_ALPHABET.charAt(RANDOM.nextInt(TOKEN_ALPHABET.length())));
        }
        return token.toString();
    }
}
