package io.dindclusters.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.KubeadmServiceTest;
import io.dindclusters.support.OutsideWorld;
import io.dindclusters.support.TestImageBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A warm pool of kubeadm clusters on the kind-node double: a claimed cluster's kubeconfig names the cluster and its
 * context as the caller named the cluster, exactly as kubeadm writes them for a cluster made on demand, and works.
 */
@KubeadmServiceTest
@DirtiesContext // its pool would go on refilling under later tests
class WarmKubeadmPoolTest {

    private static final Duration SETTLE = Duration.ofSeconds(120);
    /** What differs between any two clusters' kubeconfigs: keys, certificates and the published API server port. */
    private static final Pattern OWN = Pattern.compile("(?m)^(\\s*(?:client-certificate-data|client-key-data|"
            + "certificate-authority-data|server):).*$");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void pool(DynamicPropertyRegistry registry) {
        String image = TestImageBuilder.ensure("kind-node-double");
        OutsideWorld.get();
        registry.add("dind.pool-refill.interval", () -> "300ms");
        registry.add("dind.pools[0].name", () -> "kadm");
        registry.add("dind.pools[0].spec.workers", () -> "0");
        registry.add("dind.pools[0].spec.nodeImage", () -> image);
    }

    @Test
    void aClaimedClustersKubeconfigIsTheOneKubeadmWritesForAClusterOfThatNameAndWorks() {
        Api api = new Api(port);
        Awaitility.await().atMost(SETTLE).pollInterval(Duration.ofMillis(300))
                .until(() -> api.get("/pools").json().get(0).get("ready").asInt() == 1);
        JsonNode claimed = api.post("/clusters?wait=60s", "{\"pool\":\"kadm\",\"name\":\"kadm-claimed\"}").json();
        assertThat(claimed.get("pooled").asBoolean()).isTrue();
        assertThat(claimed.get("nodeNamePrefix").asString()).startsWith("kadm-").isNotEqualTo("kadm-claimed");
        String kubeconfig = api.get("/clusters/kadm-claimed/kubeconfig").body();
        assertThat(kubeconfig).contains("current-context: kubernetes-admin@kadm-claimed")
                .contains("name: kadm-claimed").contains("cluster: kadm-claimed")
                .doesNotContain(claimed.get("nodeNamePrefix").asString());

        // made on demand (one worker, so the pool does not serve it), under another name: one of this run alone,
        // since its containers and network are named after it
        String madeName = "kadm-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String onDemand = api.post("/clusters", "{\"name\":\"" + madeName + "\",\"workers\":1,\"nodeImage\":\""
                + claimed.get("spec").get("nodeImage").asString() + "\"}").json().get("id").asString();
        JsonNode made = api.awaitStatus(onDemand, "RUNNING", SETTLE);
        assertThat(made.get("pooled").asBoolean()).isFalse();
        String madeKubeconfig = api.get("/clusters/" + onDemand + "/kubeconfig").body();
        assertThat(OWN.matcher(kubeconfig).replaceAll("$1 ..."))
                .isEqualTo(OWN.matcher(madeKubeconfig.replace(madeName, "kadm-claimed")).replaceAll("$1 ..."));

        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
            assertThat(client.nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                    .containsExactly(claimed.get("nodeNamePrefix").asString() + "-control-plane");
        }
        for (String id : new String[] {claimed.get("id").asString(), onDemand}) {
            api.delete("/clusters/" + id);
            api.awaitStatus(id, "DELETED", SETTLE);
        }
    }
}
