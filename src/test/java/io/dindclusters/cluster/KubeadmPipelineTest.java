package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.KubeadmServiceTest;
import io.dindclusters.support.OutsideWorld;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImageBuilder;
import io.dindclusters.support.TestImages;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The kubeadm pipeline on the real engine with the kind-node-double image, whose entrypoint dies where kind's would
 * (touched before systemd runs, no IPv4 default route, not PID 1) and whose kubeadm, kubelet, kubectl and API server
 * doubles refuse what the real ones refuse and record their calls (/var/log/dind-doubles in each node). The service
 * and these tests reach the API server double only through the stored kubeconfig: its URL, port and CA, verified.
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
        OutsideWorld.get();
    }

    /** One line of a double's record: when, start or end, and the rest. */
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

        /** The commands that ended, with their exit codes, in the order they ended, without systemctl's polls. */
        static List<String> ended(String node) {
            return of(node).stream().filter(c -> c.phase().equals("end") && !c.command().startsWith("systemctl"))
                    .map(Call::command).toList();
        }

        static long endOf(String node, String command) {
            return of(node).stream().filter(c -> c.phase().equals("end") && c.command().startsWith(command))
                    .mapToLong(Call::at).findFirst().orElseThrow();
        }
    }

    private static String create(Api api, String body) {
        Api.Response created = api.post("/clusters", body);
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        return created.json().get("id").asString();
    }

    /** A cluster that must fail: created, FAILED within the bound, with nothing of it left on the engine. */
    private static JsonNode failed(Api api, String body) {
        JsonNode failed = api.awaitStatus(create(api, body), "FAILED", SETTLE);
        assertThat(TestDocker.objectsOfCluster(failed.get("id").asString())).isZero();
        return failed;
    }

    private static void deleteAndAwait(Api api, String id) {
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
    }

    /** A client of the cluster as a user would make one: from the kubeconfig the service hands out. */
    private static KubernetesClient clientOf(Api api, String id) {
        Api.Response kubeconfig = api.get("/clusters/" + id + "/kubeconfig");
        assertThat(kubeconfig.status()).isEqualTo(200);
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig.body())).build();
    }

    /** The node's kind entrypoint ran to its end and handed PID 1 to init (it dies on the way otherwise). */
    private static void assertBooted(String node) {
        assertThat(TestDocker.exec(node, "cat", "/proc/1/cmdline").output()).contains("/sbin/init");
        assertThat(TestDocker.exec(node, "systemctl", "is-system-running").output().strip()).isEqualTo("running");
    }

    @Test
    void bootstrapsWithTheExactCommandsFilesAndOrderAndHandsOutAKubeconfigThatWorks() {
        Api api = new Api(port);
        String name = "kadm-" + UUID.randomUUID().toString().substring(0, 6);
        String id = create(api, "{\"name\":\"" + name + "\",\"workers\":2,\"nodeImage\":\"" + image + "\"}");

        JsonNode cluster = api.awaitStatus(id, "RUNNING", SETTLE);

        assertThat(cluster.get("kubernetesVersion").asString()).isEqualTo("v1.33.1");
        String apiServer = cluster.get("apiServer").asString();
        assertThat(apiServer).matches("https://127\\.0\\.0\\.1:\\d+");
        String cp = name + "-control-plane";
        var bindings = TestDocker.client().inspectContainerCmd(cp).exec().getNetworkSettings()
                .getPorts().getBindings().get(com.github.dockerjava.api.model.ExposedPort.tcp(6443));
        assertThat(bindings).hasSize(1);
        assertThat(bindings[0].getHostIp()).isEqualTo("127.0.0.1");
        assertThat(apiServer).endsWith(":" + bindings[0].getHostPortSpec());
        var hostConfig = TestDocker.client().inspectContainerCmd(cp).exec().getHostConfig();
        assertThat(hostConfig.getInit()).isFalse();
        assertThat(hostConfig.getRestartPolicy().getName()).isEqualTo("on-failure");
        assertThat(hostConfig.getRestartPolicy().getMaximumRetryCount()).isEqualTo(1);

        try (KubernetesClient client = clientOf(api, id)) {
            assertThat(client.getConfiguration().getMasterUrl()).startsWith(apiServer);
            assertThat(client.nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                    .containsExactlyInAnyOrder(cp, name + "-worker", name + "-worker2");
            assertThat(client.nodes().list().getItems()).allSatisfy(n -> assertThat(n.getStatus().getConditions())
                    .filteredOn(c -> c.getType().equals("Ready")).extracting(NodeCondition::getStatus)
                    .containsExactly("True"));
            // the image's default StorageClass was applied, so PVCs bind
            assertThat(client.storage().v1().storageClasses().withName("standard").get().getMetadata()
                    .getAnnotations()).containsEntry("storageclass.kubernetes.io/is-default-class", "true");
        }

        // kubectl on the control plane finds the admin kubeconfig through KUBECONFIG, as on kind's nodes
        assertThat(TestDocker.exec(cp, "kubectl", "-n", "kube-system", "rollout", "restart", "deployment/missing")
                .output()).contains("(NotFound): deployments.apps \"missing\" not found");
        assertThat(TestDocker.exec(cp, "env", "-u", "KUBECONFIG", "kubectl", "get", "deployment", "coredns").output())
                .contains("localhost:8080 was refused");

        assertBooted(cp);
        assertThat(Call.of(cp)).filteredOn(c -> c.phase().equals("start") && c.command().startsWith("kubeadm"))
                .extracting(Call::command).containsExactly(
                        "kubeadm init --config=/kind/kubeadm.conf --skip-token-print --ignore-preflight-errors=all");
        assertThat(Call.ended(cp)).startsWith("kubeadm init 0", "kubectl 0");
        String cpConfig = TestDocker.exec(cp, "cat", "/kind/kubeadm.conf").output();
        assertThat(TestDocker.exec(cp, "cat", "/var/log/dind-doubles/kubeadm-init.conf").output()).isEqualTo(cpConfig);
        assertThat(cpConfig).contains("kind: InitConfiguration", "kubeadm.k8s.io/v1beta4",
                "      value: \"10.250.", "conntrack:\n  maxPerCore: 0", "  - \"127.0.0.1\"").doesNotContain("taints");

        long initEnd = Call.endOf(cp, "kubeadm init");
        List<Call> joins = new ArrayList<>();
        for (String worker : List.of(name + "-worker", name + "-worker2")) {
            assertBooted(worker);
            assertThat(Call.ended(worker)).containsExactly("kubeadm join 0");
            assertThat(Call.of(worker)).filteredOn(c -> c.phase().equals("start") && c.command().startsWith("kubeadm"))
                    .extracting(Call::command)
                    .containsExactly("kubeadm join --config=/kind/kubeadm.conf --ignore-preflight-errors=all");
            assertThat(TestDocker.exec(worker, "cat", "/var/log/dind-doubles/kubeadm-join.conf").output())
                    .contains("kind: JoinConfiguration", "apiServerEndpoint: \"10.250.")
                    .contains(tokenOf(cpConfig));
            assertThat(TestDocker.exec(worker, "cat", "/etc/cni/net.d/10-dind-clusters.conflist").output())
                    .contains("\"type\": \"ptp\"").doesNotContain("bridge");
            joins.addAll(Call.of(worker).stream().filter(c -> c.command().startsWith("kubeadm join")).toList());
        }
        // Workers join after init has ended, and at the same time: each join starts before the other ends.
        assertThat(joins).allSatisfy(c -> assertThat(c.at()).isGreaterThan(initEnd));
        long lastStart = joins.stream().filter(c -> c.phase().equals("start")).mapToLong(Call::at).max().orElseThrow();
        long firstEnd = joins.stream().filter(c -> c.phase().equals("end")).mapToLong(Call::at).min().orElseThrow();
        assertThat(lastStart).isLessThan(firstEnd);

        List<Api.SseEvent> events = api.readStream("/clusters/" + id + "/events", SETTLE);
        assertThat(events).filteredOn(e -> "step-finished".equals(e.event())).extracting(e -> e.json().get("step").asString())
                .containsExactly("create-network", "create-nodes", "wait-for-systemd", "write-kubeadm-config",
                        "kubeadm-init", "install-cni", "install-storage", "kubeadm-join", "wait-until-ready");
        List<String> messages = events.stream().filter(e -> "log".equals(e.event()))
                .map(e -> e.json().get("message").asString()).toList();
        assertThat(messages).contains(cp + ": Your Kubernetes control-plane has initialized successfully!",
                name + "-worker2: This node has joined the cluster",
                cp + ": storageclass/standard created",
                "all 3 nodes Ready; kube-proxy and CoreDNS Ready");
        assertThat(String.join("\n", messages)).doesNotContain("certificate-authority-data", "client-key-data");

        deleteAndAwait(api, id);
        assertThat(api.get("/clusters/" + id + "/kubeconfig").status()).isEqualTo(409);
    }

    @Test
    void anIpv6ClusterPublishesItsApiServerOnIpv6AndItsNodesSurviveTheirIpv6OnlySetup() {
        Api api = new Api(port);
        String name = "kadm6-" + UUID.randomUUID().toString().substring(0, 6);
        String id = create(api, "{\"name\":\"" + name + "\",\"ipMode\":\"ipv6\",\"workers\":1,\"nodeImage\":\""
                + image + "\"}");

        JsonNode cluster = api.awaitStatus(id, "RUNNING", SETTLE);

        String cp = name + "-control-plane";
        String apiServer = cluster.get("apiServer").asString();
        assertThat(apiServer).matches("https://\\[::1\\]:\\d+");
        var bindings = TestDocker.client().inspectContainerCmd(cp).exec().getNetworkSettings()
                .getPorts().getBindings().get(com.github.dockerjava.api.model.ExposedPort.tcp(6443));
        assertThat(bindings).extracting(b -> b.getHostIp()).containsExactly("::1");
        // The node has no IPv4 left, so this answer came over IPv6, with a certificate valid for ::1.
        try (KubernetesClient client = clientOf(api, id)) {
            assertThat(client.nodes().list().getItems()).hasSize(2);
        }
        String dns64 = cluster.get("dns64").get("ipv6").asString();
        for (String node : List.of(cp, name + "-worker")) {
            assertBooted(node);
            assertThat(TestDocker.exec(node, "ip", "-4", "address", "show", "scope", "global").output()).isBlank();
            // the entrypoint rewrote resolv.conf before the node steps replaced it with the DNS64 server
            assertThat(TestDocker.exec(node, "cat", "/etc/resolv.conf").output())
                    .contains("nameserver " + dns64).doesNotContain("rewritten by the kind entrypoint");
        }
        assertThat(Call.ended(cp)).containsExactly("kubeadm init 0", "kubectl 0", "kubectl 0", "kubectl 0");
        assertThat(TestDocker.exec(cp, "cat", "/var/log/dind-doubles/kubectl-applied-coredns-configmap.yaml").output())
                .contains("forward . [" + dns64 + "]:53");
        assertThat(TestDocker.exec(cp, "cat", "/kind/kubeadm.conf").output())
                .contains("value: \"::1\"", "advertiseAddress: \"" + cluster.get("nodes").get(0).get("ipv6").asString()
                        + "\"");

        deleteAndAwait(api, id);
    }

    @Test
    void aLoneControlPlaneIsUntainted() {
        Api api = new Api(port);
        String name = "kadm0-" + UUID.randomUUID().toString().substring(0, 6);
        String id = create(api, "{\"name\":\"" + name + "\",\"workers\":0,\"nodeImage\":\"" + image + "\"}");
        api.awaitStatus(id, "RUNNING", SETTLE);
        assertThat(TestDocker.exec(name + "-control-plane", "cat", "/kind/kubeadm.conf").output())
                .contains("  taints: []\n");
        deleteAndAwait(api, id);
    }

    @Test
    void aFailingKubeadmInitFailsTheClusterWithItsOutputAndLeavesNothing() {
        Api api = new Api(port);
        String name = "fail-init-" + UUID.randomUUID().toString().substring(0, 6);
        JsonNode failed = failed(api, "{\"name\":\"" + name + "\",\"workers\":2,\"nodeImage\":\"" + image + "\"}");
        String failedId = failed.get("id").asString();

        assertThat(failed.get("statusReason").asString()).contains("step kubeadm-init failed")
                .contains("kubeadm init exited 1")
                .contains("the kubeadm double was told to fail by the node's name");
        assertThat(failed.has("apiServer")).isFalse();
        assertThat(api.get("/clusters/" + failedId + "/kubeconfig").status()).isEqualTo(409);
        deleteAndAwait(api, failedId);
    }

    @Test
    void aNodeThatDiesWhileBootingFailsTheClusterWithItsLastLogLines() {
        Api api = new Api(port);
        String name = "dies-booting-" + UUID.randomUUID().toString().substring(0, 6);
        JsonNode failed = failed(api, "{\"name\":\"" + name + "\",\"workers\":0,\"nodeImage\":\"" + image + "\"}");
        String failedId = failed.get("id").asString();

        assertThat(failed.get("statusReason").asString()).contains("step wait-for-systemd failed")
                .contains("the last lines of " + name + "-control-plane's log")
                .contains("ERROR: the entrypoint double was told to die by the node's name");
        deleteAndAwait(api, failedId);
    }

    @Test
    void aNodeImageWithoutEveryCniPluginTheNetworkNeedsFailsAtInstallCniNamingIt() {
        Api api = new Api(port);
        String withoutPortmap = TestImageBuilder.ensure("kind-node-double-without-portmap", image);
        JsonNode failed = failed(api, "{\"workers\":0,\"nodeImage\":\"" + withoutPortmap + "\"}");
        String failedId = failed.get("id").asString();

        assertThat(failed.get("statusReason").asString()).contains("step install-cni failed")
                .contains("the CNI plugin portmap is not in /opt/cni/bin or not executable (found: host-local, "
                        + "loopback, ptp)");
        deleteAndAwait(api, failedId);
    }

    @Test
    void kubeadmOnAnImageWithoutSystemdFailsAtOnceSayingWhatItNeeds() {
        Api api = new Api(port);
        JsonNode failed = failed(api, "{\"workers\":1,\"nodeImage\":\"" + TestImages.NODE + "\"}");
        String failedId = failed.get("id").asString();

        assertThat(failed.get("statusReason").asString())
                .contains("step wait-for-systemd failed").contains("systemctl cannot run").contains("kind node image");
        deleteAndAwait(api, failedId);
    }

    private static String tokenOf(String config) {
        var m = java.util.regex.Pattern.compile("token: \"([a-z0-9]{6}\\.[a-z0-9]{16})\"").matcher(config);
        assertThat(m.find()).as("a bootstrap token in " + config).isTrue();
        return m.group(1);
    }
}
