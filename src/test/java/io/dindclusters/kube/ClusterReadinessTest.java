package io.dindclusters.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Readiness against fabric8's Kubernetes mock server (the API server's double): Ready, never Ready, Ready late. */
@EnableKubernetesMockClient(crud = true)
class ClusterReadinessTest {

    static KubernetesClient client;

    private final List<String> progress = new CopyOnWriteArrayList<>();

    @AfterEach
    void clean() {
        client.nodes().delete();
        client.pods().inNamespace("kube-system").delete();
    }

    private static Node node(String name, String ready, String reason, String message) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
                .addNewCondition().withType("Ready").withStatus(ready).withReason(reason).withMessage(message).endCondition()
                .endStatus().build();
    }

    /** A pod in kube-system; Running and Ready unless told otherwise. */
    private static void pod(String name, String app, String node, String phase, boolean ready, String message) {
        client.pods().inNamespace("kube-system").resource(new PodBuilder().withNewMetadata().withName(name)
                .addToLabels("k8s-app", app).endMetadata().withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase(phase).addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").withMessage(message).endCondition().endStatus().build())
                .createOr(existing -> existing.update());
    }

    private static void pod(String name, String app, String node) {
        pod(name, app, node, "Running", true, null);
    }

    private static void systemPodsRunning(List<String> nodes) {
        nodes.forEach(n -> pod("kube-proxy-" + n, "kube-proxy", n));
        pod("coredns-1", "kube-dns", nodes.get(0));
    }

    @Test
    void returnsWhenEveryNodeIsReadyAndTheSystemPodsRun() throws Exception {
        List<String> nodes = List.of("c-control-plane", "c-worker");
        nodes.forEach(n -> client.nodes().resource(node(n, "True", "KubeletReady", null)).create());
        systemPodsRunning(nodes);

        ClusterReadiness.await(client, nodes, Duration.ofSeconds(10), progress::add);

        assertThat(progress).last().isEqualTo("all 2 nodes Ready; kube-proxy and CoreDNS Ready");
    }

    @Test
    void failsAtTheDeadlineWithTheNodesConditions() {
        List<String> nodes = List.of("c-control-plane", "c-worker");
        client.nodes().resource(node("c-control-plane", "True", "KubeletReady", null)).create();
        client.nodes().resource(node("c-worker", "False", "KubeletNotReady",
                "container runtime network not ready: cni plugin not initialized")).create();
        systemPodsRunning(nodes);

        assertThatThrownBy(() -> ClusterReadiness.await(client, nodes, Duration.ofMillis(800), progress::add))
                .isInstanceOf(ClusterReadiness.NotReadyException.class)
                .hasMessageContaining("waiting for node c-worker Ready")
                .hasMessageContaining("c-worker: MemoryPressure=False, Ready=False (KubeletNotReady: container "
                        + "runtime network not ready: cni plugin not initialized)")
                .hasMessageContaining("c-control-plane: MemoryPressure=False, Ready=True (KubeletReady)");
        assertThat(progress).containsExactly("waiting for node c-worker Ready");
    }

    @Test
    void reportsANodeThatIsNotRegisteredAtAll() {
        assertThatThrownBy(() -> ClusterReadiness.await(client, List.of("c-control-plane"), Duration.ofMillis(300),
                progress::add)).hasMessageContaining("c-control-plane: not registered");
    }

    @Test
    void waitsForANodeThatTurnsReadyLateAndThenForCoreDns() throws Exception {
        List<String> nodes = List.of("c-control-plane");
        client.nodes().resource(node("c-control-plane", "False", "KubeletNotReady", "starting")).create();
        pod("kube-proxy-c-control-plane", "kube-proxy", "c-control-plane");
        // Running but not Ready, as CoreDNS is while the pod network does not work
        pod("coredns-1", "kube-dns", "c-control-plane", "Running", false, "containers with unready status: [coredns]");
        // Each turns Ready once the wait for it has been reported, so the next poll sees the change however slow
        // the machine is (timers raced the poll interval under load).
        ClusterReadiness.await(client, nodes, Duration.ofSeconds(20), step -> {
            progress.add(step);
            if (step.startsWith("waiting for node")) {
                client.nodes().resource(node("c-control-plane", "True", "KubeletReady", null)).update();
            } else if (step.startsWith("waiting for CoreDNS")) {
                pod("coredns-1", "kube-dns", "c-control-plane");
            }
        });

        assertThat(progress).containsExactly("waiting for node c-control-plane Ready",
                "waiting for CoreDNS Ready (coredns-1: Running, containers with unready status: [coredns])",
                "the node Ready; kube-proxy and CoreDNS Ready");
    }
}
