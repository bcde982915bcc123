package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.KubeadmServiceTest;
import io.dindclusters.support.KubernetesApiDouble;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImageBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The kubeadm pipeline on the real engine, with node containers whose kubeadm, kubectl and systemctl are test
 * doubles that record what they were asked and given (/var/log/dind-doubles in each node), and an API server double
 * for readiness: the exact commands, files, order and concurrency, the event stream, and a failing kubeadm init.
 */
@KubeadmServiceTest
class KubeadmPipelineTest {

    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static String image;

    @LocalServerPort
    int port;

    @BeforeAll
    static void nodeImageWithDoubles() {
        image = TestImageBuilder.ensure("kind-node-double");
    }

    /** One line of a double's record: when, which double, start or end, and the rest. */
    record Call(long at, String phase, String command) {
        static List<Call> of(String node) {
            List<Call> calls = new ArrayList<>();
            for (String line : TestDocker.exec(node, "cat", "/var/log/dind-doubles/calls").output().split("\n")) {
                String[] parts = line.split(" ", 3);
                if (parts.length == 3) {
                    calls.add(new Call(Long.parseLong(parts[0]), parts[1], parts[2]));
                }
            }
            return calls;
        }
    }

    private String create(Api api, String name, String body) {
        List<String> nodes = new ArrayList<>(List.of(name + "-control-plane"));
        int workers = body.contains("\"workers\":0") ? 0 : 2;
        for (int i = 1; i <= workers; i++) {
            nodes.add(name + "-worker" + (i == 1 ? "" : i));
        }
        KubernetesApiDouble.clusterIsUp(nodes);
        Api.Response created = api.post("/clusters", body);
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        return created.json().get("id").asString();
    }

    @Test
    void bootstrapsWithTheExactCommandsFilesAndOrderAndHandsOutTheKubeconfig() {
        Api api = new Api(port);
        String name = "kadm-" + UUID.randomUUID().toString().substring(0, 6);
        String id = create(api, name, "{\"name\":\"" + name + "\",\"workers\":2,\"nodeImage\":\"" + image + "\"}");

        JsonNode cluster = api.awaitStatus(id, "RUNNING", SETTLE);

        assertThat(cluster.get("kubernetesVersion").asString()).isEqualTo("v1.33.1");
        String apiServer = cluster.get("apiServer").asString();
        assertThat(apiServer).matches("https://127\\.0\\.0\\.1:\\d+");
        String hostPort = apiServer.substring(apiServer.lastIndexOf(':') + 1);
        var bindings = TestDocker.client().inspectContainerCmd(name + "-control-plane").exec().getNetworkSettings()
                .getPorts().getBindings().get(com.github.dockerjava.api.model.ExposedPort.tcp(6443));
        assertThat(bindings[0].getHostIp()).isEqualTo("127.0.0.1");
        assertThat(bindings[0].getHostPortSpec()).isEqualTo(hostPort);

        Api.Response kubeconfig = api.get("/clusters/" + id + "/kubeconfig");
        assertThat(kubeconfig.status()).isEqualTo(200);
        assertThat(kubeconfig.body()).contains("    server: " + apiServer + "\n").doesNotContain("control-plane.double");

        String cp = name + "-control-plane";
        List<Call> cpCalls = Call.of(cp);
        assertThat(cpCalls).filteredOn(c -> c.phase().equals("start")).extracting(Call::command).containsExactly(
                "systemctl is-system-running",
                "kubeadm init --config=/kind/kubeadm.conf --skip-token-print --ignore-preflight-errors=all");
        String cpConfig = TestDocker.exec(cp, "cat", "/kind/kubeadm.conf").output();
        assertThat(TestDocker.exec(cp, "cat", "/var/log/dind-doubles/kubeadm-init.conf").output()).isEqualTo(cpConfig);
        assertThat(cpConfig).contains("kind: InitConfiguration", "kubeadm.k8s.io/v1beta4",
                "      value: \"10.250.", "conntrack:\n  maxPerCore: 0", "  - \"127.0.0.1\"").doesNotContain("taints");

        long initEnd = cpCalls.stream().filter(c -> c.phase().equals("end") && c.command().startsWith("kubeadm init"))
                .findFirst().orElseThrow().at();
        List<Call> joins = new ArrayList<>();
        for (String worker : List.of(name + "-worker", name + "-worker2")) {
            List<Call> calls = Call.of(worker);
            assertThat(calls).filteredOn(c -> c.phase().equals("start")).extracting(Call::command).containsExactly(
                    "systemctl is-system-running",
                    "kubeadm join --config=/kind/kubeadm.conf --ignore-preflight-errors=all");
            assertThat(TestDocker.exec(worker, "cat", "/var/log/dind-doubles/kubeadm-join.conf").output())
                    .contains("kind: JoinConfiguration", "apiServerEndpoint: \"10.250.")
                    .contains(tokenOf(cpConfig));
            assertThat(TestDocker.exec(worker, "cat", "/etc/cni/net.d/10-dind-clusters.conflist").output())
                    .contains("\"type\": \"bridge\"");
            joins.addAll(calls.stream().filter(c -> c.command().startsWith("kubeadm join")).toList());
        }
        // Workers join after init, and at the same time: each join starts before the other ends (each takes 1 s).
        assertThat(joins).allSatisfy(c -> assertThat(c.at()).isGreaterThan(initEnd));
        long lastStart = joins.stream().filter(c -> c.phase().equals("start")).mapToLong(Call::at).max().orElseThrow();
        long firstEnd = joins.stream().filter(c -> c.phase().equals("end")).mapToLong(Call::at).min().orElseThrow();
        assertThat(lastStart).isLessThan(firstEnd);

        List<Api.SseEvent> events = api.readStream("/clusters/" + id + "/events", SETTLE);
        assertThat(events).filteredOn(e -> "step-finished".equals(e.event())).extracting(e -> e.json().get("step").asString())
                .containsExactly("create-network", "create-nodes", "wait-for-systemd", "write-kubeadm-config",
                        "kubeadm-init", "install-cni", "kubeadm-join", "wait-until-ready");
        List<String> messages = events.stream().filter(e -> "log".equals(e.event()))
                .map(e -> e.json().get("message").asString()).toList();
        assertThat(messages).contains(cp + ": Your Kubernetes control-plane has initialized successfully!",
                name + "-worker2: This node has joined the cluster",
                "all 3 nodes Ready; kube-proxy and CoreDNS running");
        assertThat(String.join("\n", messages)).doesNotContain("certificate-authority-data", "double-secret-token");

        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
        assertThat(api.get("/clusters/" + id + "/kubeconfig").status()).isEqualTo(409);
    }

    @Test
    void anIpv6ClusterPointsCoreDnsAtItsDns64AndALoneControlPlaneIsUntainted() {
        Api api = new Api(port);
        String name = "kadm6-" + UUID.randomUUID().toString().substring(0, 6);
        String id = create(api, name, "{\"name\":\"" + name + "\",\"ipMode\":\"ipv6\",\"workers\":0,\"nodeImage\":\""
                + image + "\"}");

        JsonNode cluster = api.awaitStatus(id, "RUNNING", SETTLE);

        String cp = name + "-control-plane";
        String dns64 = cluster.get("dns64").get("ipv6").asString();
        assertThat(Call.of(cp)).filteredOn(c -> c.phase().equals("start")).extracting(Call::command).containsExactly(
                "systemctl is-system-running",
                "kubeadm init --config=/kind/kubeadm.conf --skip-token-print --ignore-preflight-errors=all",
                "kubectl --kubeconfig=/etc/kubernetes/admin.conf apply -f /kind/coredns-configmap.yaml",
                "kubectl --kubeconfig=/etc/kubernetes/admin.conf -n kube-system rollout restart deployment/coredns");
        assertThat(TestDocker.exec(cp, "cat", "/var/log/dind-doubles/kubectl-applied.yaml").output())
                .contains("forward . [" + dns64 + "]:53");
        assertThat(TestDocker.exec(cp, "cat", "/kind/kubeadm.conf").output())
                .contains("  taints: []\n", "value: \"::1\"", "advertiseAddress: \"" + cluster.get("nodes").get(0)
                        .get("ipv6").asString() + "\"");

        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
    }

    @Test
    void aFailingKubeadmInitFailsTheClusterWithItsOutputAndLeavesNothing() {
        Api api = new Api(port);
        String name = "fail-init-" + UUID.randomUUID().toString().substring(0, 6);
        String id = create(api, name, "{\"name\":\"" + name + "\",\"workers\":2,\"nodeImage\":\"" + image + "\"}");

        JsonNode failed = api.awaitStatus(id, "FAILED", SETTLE);

        assertThat(failed.get("statusReason").asString()).contains("step kubeadm-init failed")
                .contains("kubeadm init exited 1")
                .contains("the kubeadm double was told to fail by the node's name");
        assertThat(failed.has("apiServer")).isFalse();
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
        assertThat(api.get("/clusters/" + id + "/kubeconfig").status()).isEqualTo(409);
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
    }

    private static String tokenOf(String config) {
        var m = java.util.regex.Pattern.compile("token: \"([a-z0-9]{6}\\.[a-z0-9]{16})\"").matcher(config);
        assertThat(m.find()).as("a bootstrap token in " + config).isTrue();
        return m.group(1);
    }

}
