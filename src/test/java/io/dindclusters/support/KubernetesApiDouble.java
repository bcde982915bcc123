package io.dindclusters.support;

import io.dindclusters.kube.KubernetesClients;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.List;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * TEST DOUBLE of a cluster's API server: fabric8's Kubernetes mock server in CRUD mode, which the service's readiness
 * step is pointed at instead of the published port (no Kubernetes can run on the test machines). Tests declare a
 * cluster's nodes Ready, and its kube-proxy and CoreDNS pods running, with {@link #clusterIsUp}.
 */
@TestConfiguration
public class KubernetesApiDouble {

    private static final KubernetesMockServer SERVER = start();

    private static KubernetesMockServer start() {
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        return server;
    }

    @Bean
    @Primary
    KubernetesClients kubernetesClientsDouble() {
        return kubeconfig -> SERVER.createClient();
    }

    public static KubernetesClient client() {
        return SERVER.createClient();
    }

    /** The nodes Ready, a kube-proxy pod running on each, CoreDNS running. */
    public static void clusterIsUp(List<String> nodeNames) {
        try (KubernetesClient client = client()) {
            for (String name : nodeNames) {
                client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                        .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                        .endStatus().build()).create();
                client.pods().inNamespace("kube-system").resource(new PodBuilder().withNewMetadata()
                        .withName("kube-proxy-" + name).addToLabels("k8s-app", "kube-proxy").endMetadata()
                        .withNewSpec().withNodeName(name).endSpec().withNewStatus().withPhase("Running").endStatus()
                        .build()).create();
            }
            client.pods().inNamespace("kube-system").resource(new PodBuilder().withNewMetadata()
                    .withName("coredns-" + nodeNames.get(0)).addToLabels("k8s-app", "kube-dns").endMetadata()
                    .withNewSpec().withNodeName(nodeNames.get(0)).endSpec().withNewStatus().withPhase("Running")
                    .endStatus().build()).create();
        }
    }
}
