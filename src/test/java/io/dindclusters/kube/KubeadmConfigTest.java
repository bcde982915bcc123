package io.dindclusters.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.cluster.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.dindclusters.support.Golden;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The kubeadm, CNI and CoreDNS configuration rendered for ipv4, ipv6 and dual clusters and two Kubernetes versions,
 * against reviewed golden files under src/test/resources/golden/kube ({@link Golden}: -Dgolden.update=true rewrites
 * them and fails), the rendered documents parsed and their key fields checked beside them, and one test per rule.
 */
class KubeadmConfigTest {

    static final String TOKEN = "abcdef.0123456789abcdef";

    static KubeadmInput input(String mode, String version, int workers) {
        List<Node> nodes = new java.util.ArrayList<>();
        for (int i = 0; i <= workers; i++) {
            String name = "c1-" + (i == 0 ? "control-plane" : "worker" + (i == 1 ? "" : i));
            String v4 = "10.250.0." + (2 + i);
            String v6 = "fd00:d1d:a::" + (2 + i);
            List<String> pods = switch (mode) {
                case "ipv4" -> List.of("10.192." + i + ".0/24");
                case "ipv6" -> List.of("fd00:d1d:b:0:" + i + "::/80");
                default -> List.of("10.192." + i + ".0/24", "fd00:d1d:b:0:" + i + "::/80");
            };
            nodes.add(new Node(name, i == 0 ? Node.CONTROL_PLANE : Node.WORKER, mode.equals("ipv6") ? null : v4,
                    mode.equals("ipv4") ? null : v6, pods));
        }
        List<String> podSubnets = switch (mode) {
            case "ipv4" -> List.of("10.192.0.0/20");
            case "ipv6" -> List.of("fd00:d1d:b::/64");
            default -> List.of("10.192.0.0/20", "fd00:d1d:b::/64");
        };
        List<String> services = switch (mode) {
            case "ipv4" -> List.of("10.208.0.0/20");
            case "ipv6" -> List.of("fd00:d1d:c::/112");
            default -> List.of("10.208.0.0/20", "fd00:d1d:c::/112");
        };
        return new KubeadmInput("c1", KubernetesVersion.parse(version), mode.equals("ipv6"), mode.equals("ipv6"),
                podSubnets, services, nodes, TOKEN, List.of("127.0.0.1", "ci.example.net"));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"ipv4, v1.30.13", "ipv6, v1.30.13", "dual, v1.30.13", "ipv4, v1.33.1", "ipv6, v1.33.1", "dual, v1.33.1"})
    void rendersTheControlPlaneAndWorkerConfigurations(String mode, String version) throws IOException {
        KubeadmInput in = input(mode, version, 2);
        String prefix = mode + "-" + version.substring(0, version.lastIndexOf('.')).replace('.', '_');
        String controlPlane = KubeadmConfig.render(in, in.nodes().get(0));
        String worker = KubeadmConfig.render(in, in.nodes().get(1));
        Golden.assertMatches("kube/" + prefix + "-control-plane.yaml", controlPlane);
        Golden.assertMatches("kube/" + prefix + "-worker.yaml", worker);
    }

    /** Beside the goldens: the documents parsed as YAML, by kind, and the fields a cluster stands on checked. */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"ipv4, v1.30.13", "ipv6, v1.30.13", "dual, v1.30.13", "ipv4, v1.33.1", "ipv6, v1.33.1", "dual, v1.33.1"})
    void theRenderedDocumentsCarryTheClustersAddressesAndVersion(String mode, String version) {
        KubeadmInput in = input(mode, version, 2);
        Node controlPlane = in.nodes().get(0);
        Node worker = in.nodes().get(1);
        String apiVersion = KubernetesVersion.parse(version).kubeadmApiVersion();
        var planes = documentsByKind(KubeadmConfig.render(in, controlPlane));
        var workers = documentsByKind(KubeadmConfig.render(in, worker));

        assertThat(planes.keySet()).containsExactlyInAnyOrder("ClusterConfiguration", "InitConfiguration",
                "KubeletConfiguration", "KubeProxyConfiguration");
        assertThat(workers.keySet()).containsExactly("JoinConfiguration");
        var cluster = planes.get("ClusterConfiguration");
        assertThat(cluster.get("apiVersion")).isEqualTo(apiVersion);
        assertThat(cluster.get("kubernetesVersion")).isEqualTo(version);
        assertThat(map(cluster, "networking")).containsEntry("podSubnet", String.join(",", in.podSubnets()))
                .containsEntry("serviceSubnet", String.join(",", in.serviceCidrs()));
        String primary = mode.equals("ipv6") ? controlPlane.ipv6() : controlPlane.ipv4();
        assertThat(map(planes.get("InitConfiguration"), "localAPIEndpoint")).containsEntry("advertiseAddress", primary);
        assertThat(extraArgument(map(planes.get("InitConfiguration"), "nodeRegistration"), "node-ip"))
                .isEqualTo(nodeIp(mode, controlPlane));
        assertThat(planes.get("KubeProxyConfiguration").get("clusterCIDR")).isEqualTo(String.join(",", in.podSubnets()));

        var join = workers.get("JoinConfiguration");
        assertThat(join.get("apiVersion")).isEqualTo(apiVersion);
        assertThat(map(join, "nodeRegistration")).containsEntry("name", worker.name());
        assertThat(extraArgument(map(join, "nodeRegistration"), "node-ip")).isEqualTo(nodeIp(mode, worker));
        assertThat(map(map(join, "discovery"), "bootstrapToken")).containsEntry("token", TOKEN)
                .containsEntry("apiServerEndpoint", (mode.equals("ipv6") ? "[" + primary + "]" : primary) + ":6443");
    }

    private static String nodeIp(String mode, Node node) {
        return switch (mode) {
            case "ipv4" -> node.ipv4();
            case "ipv6" -> node.ipv6();
            default -> node.ipv4() + "," + node.ipv6();
        };
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, java.util.Map<String, Object>> documentsByKind(String yaml) {
        var byKind = new java.util.LinkedHashMap<String, java.util.Map<String, Object>>();
        for (Object document : new org.yaml.snakeyaml.Yaml().loadAll(yaml)) {
            var fields = (java.util.Map<String, Object>) document;
            assertThat(byKind.put((String) fields.get("kind"), fields)).as("one " + fields.get("kind")).isNull();
        }
        return byKind;
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> map(java.util.Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (java.util.Map<String, Object>) parent.get(key);
    }

    /** A kubelet argument: a map in kubeadm v1beta3, a list of name/value pairs in v1beta4. */
    @SuppressWarnings("unchecked")
    private static Object extraArgument(java.util.Map<String, Object> nodeRegistration, String name) {
        Object arguments = nodeRegistration.get("kubeletExtraArgs");
        if (arguments instanceof java.util.Map<?, ?> byName) {
            return byName.get(name);
        }
        return ((List<java.util.Map<String, Object>>) arguments).stream().filter(a -> name.equals(a.get("name")))
                .map(a -> a.get("value")).findFirst().orElse(null);
    }

    @ParameterizedTest
    @CsvSource({"ipv4", "ipv6", "dual"})
    void rendersTheCniConfigurationOverTheNodesOwnPrefixes(String mode) throws IOException {
        Node worker = input(mode, "v1.33.1", 2).nodes().get(1);
        String cni = CniConfig.render(worker, 1450);
        Golden.assertMatches("kube/cni-" + mode + ".conflist", cni);
        // Parsed: only plugins every kindest/node image ships, pod addresses kept between pods, the node's MTU.
        JsonNode conf = tools.jackson.databind.json.JsonMapper.builder().build().readTree(cni);
        List<String> types = new java.util.ArrayList<>();
        conf.get("plugins").forEach(p -> {
            types.add(p.get("type").asString());
            if (p.has("ipam")) {
                types.add(p.get("ipam").get("type").asString());
            }
        });
        assertThat(types).containsExactlyInAnyOrderElementsOf(CniConfig.PLUGINS).doesNotContain("bridge");
        assertThat(conf.get("plugins").get(0).get("ipMasq").asBoolean()).isFalse();
        assertThat(conf.get("plugins").get(0).get("mtu").asInt()).isEqualTo(1450);
        assertThat(conf.get("plugins").get(0).get("ipam").get("ranges")).hasSize(worker.podPrefixes().size());
    }

    @Test
    void masqueradesOnlyPodTrafficThatLeavesTheClustersPodSubnet() {
        Node worker = input("dual", "v1.33.1", 2).nodes().get(1);
        var rules = CniConfig.masqueradeRules(worker, List.of("10.192.0.0/20", "fd00:d1d:b::/64"));
        assertThat(rules.keySet()).containsExactly(CniConfig.MASQUERADE_IPV4, CniConfig.MASQUERADE_IPV6);
        assertThat(rules.get(CniConfig.MASQUERADE_IPV4)).isEqualTo("*nat\n"
                + ":DIND-CLUSTERS-MASQ - [0:0]\n"
                + "-A POSTROUTING -s " + worker.podPrefixes().get(0) + " -j DIND-CLUSTERS-MASQ\n"
                + "-A DIND-CLUSTERS-MASQ -d 10.192.0.0/20 -j RETURN\n"
                + "-A DIND-CLUSTERS-MASQ -j MASQUERADE\n"
                + "COMMIT\n");
        assertThat(rules.get(CniConfig.MASQUERADE_IPV6)).contains("-s " + worker.podPrefixes().get(1) + " ",
                "-d fd00:d1d:b::/64 -j RETURN");
    }

    @Test
    void pointsCoreDnsAtTheDns64Server() throws IOException {
        String configMap = CoreDnsConfig.render("fd00:d1d:a::100");
        Golden.assertMatches("kube/coredns-ipv6.yaml", configMap);
        assertThat(configMap).contains("forward . [fd00:d1d:a::100]:53").doesNotContain("/etc/resolv.conf");
    }

    @Test
    void usesTheKubeadmApiOfTheNodeImagesVersion() {
        assertThat(KubernetesVersion.parse("v1.30.13").kubeadmApiVersion()).isEqualTo("kubeadm.k8s.io/v1beta3");
        assertThat(KubernetesVersion.parse("v1.31.0").kubeadmApiVersion()).isEqualTo("kubeadm.k8s.io/v1beta4");
        assertThat(KubernetesVersion.parse("v1.34.0").kubeadmApiVersion()).isEqualTo("kubeadm.k8s.io/v1beta4");
        assertThat(KubernetesVersion.parse("v1.26.3").isSupported()).isFalse();
        assertThat(KubernetesVersion.parse("v1.27.0").isSupported()).isTrue();
    }

    @Test
    void kubeProxyNeverWritesConntrackSettings() {
        KubeadmInput in = input("ipv4", "v1.33.1", 1);
        assertThat(KubeadmConfig.render(in, in.controlPlane())).contains("conntrack:\n  maxPerCore: 0\n");
    }

    @Test
    void dualStackNodeIpsListThePrimaryFamilyFirst() {
        KubeadmInput v4First = input("dual", "v1.33.1", 1);
        assertThat(v4First.nodeIps(v4First.controlPlane())).containsExactly("10.250.0.2", "fd00:d1d:a::2");
        KubeadmInput v6First = new KubeadmInput("c1", v4First.version(), true, false, v4First.podSubnets(),
                v4First.serviceCidrs(), v4First.nodes(), TOKEN, List.of());
        assertThat(v6First.nodeIps(v6First.controlPlane())).containsExactly("fd00:d1d:a::2", "10.250.0.2");
        assertThat(v6First.controlPlaneEndpoint()).isEqualTo("[fd00:d1d:a::2]:6443");
    }

    @Test
    void theCertificateNamesEveryAddressUsersReachTheApiServerBy() {
        KubeadmInput in = input("dual", "v1.33.1", 1);
        assertThat(KubeadmConfig.sans(in)).contains("localhost", "127.0.0.1", "::1", "10.250.0.2", "fd00:d1d:a::2",
                "c1-control-plane", "ci.example.net");
    }

    @Test
    void ipv6ClustersBindTheComponentsToIpv6() {
        KubeadmInput in = input("ipv6", "v1.30.13", 1);
        String conf = KubeadmConfig.render(in, in.controlPlane());
        assertThat(conf).contains("\"bind-address\": \"::\"", "\"bind-address\": \"::1\"", "address: \"::\"",
                "healthzBindAddress: \"::\"");
        KubeadmInput v4 = input("ipv4", "v1.30.13", 1);
        assertThat(KubeadmConfig.render(v4, v4.controlPlane())).doesNotContain("bind-address", "healthzBindAddress");
    }

    @Test
    void aSingleControlPlaneIsUntaintedAndOneWithWorkersIsNot() {
        KubeadmInput alone = input("ipv4", "v1.33.1", 0);
        assertThat(KubeadmConfig.render(alone, alone.controlPlane())).contains("  taints: []\n");
        KubeadmInput withWorkers = input("ipv4", "v1.33.1", 1);
        assertThat(KubeadmConfig.render(withWorkers, withWorkers.controlPlane())).doesNotContain("taints");
    }

    @Test
    void workersJoinTheControlPlaneWithTheClustersToken() {
        KubeadmInput in = input("ipv6", "v1.33.1", 1);
        assertThat(KubeadmConfig.render(in, in.nodes().get(1))).contains("kind: JoinConfiguration",
                "apiServerEndpoint: \"[fd00:d1d:a::2]:6443\"", "token: \"" + TOKEN + "\"",
                "- name: \"node-ip\"\n      value: \"fd00:d1d:a::3\"");
    }

    @Test
    void rewritesTheKubeconfigServerToWhereUsersReachIt() {
        String admin = "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: AAAA\n"
                + "    server: https://10.250.0.2:6443\n  name: c1\n";
        assertThat(Kubeconfigs.withServer(admin, Kubeconfigs.url("::1", 40123)))
                .contains("    server: https://[::1]:40123\n").doesNotContain("10.250.0.2");
    }
}
