package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.EngineSocketProxy;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The engine goes away and comes back while the service runs, through a proxy on its socket that the test cuts and
 * restores: health turns DOWN, creates get 503, a cluster being provisioned fails cleanly, and once the engine is
 * back everything works again without a restart, and deleting the failed cluster removes what it left.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:engine-outage;DB_CLOSE_DELAY=-1",
        "dind.docker.instance=test-engine-outage",
        "dind.docker.connect-timeout=2s",
        "dind.docker.response-timeout=20s",
        "dind.clusters.default-node-image=" + TestImages.NODE,
        "dind.images.base=" + TestImages.NODE,
        "dind.network.dns64.remote-server=127.0.0.1",
        "dind.network.dns64.prefix=fd00:64:ff9b::/96"})
class EngineOutageTest {

    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final EngineSocketProxy PROXY = EngineSocketProxy.start(
            Path.of("/tmp/dind-clusters-test-engine-" + ProcessHandle.current().pid() + ".sock"),
            Path.of("/var/run/docker.sock"));

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void engineBehindTheProxy(DynamicPropertyRegistry registry) {
        registry.add("dind.docker.host", PROXY::dockerHost);
    }

    @AfterAll
    static void engineBack() {
        PROXY.restore();
    }

    private String health(Api api) {
        return api.get("/actuator/health").json().get("components").get("docker").get("status").asString();
    }

    @Test
    void theServiceRefusesWorkWhileTheEngineIsGoneAndResumesWhenItIsBack() {
        Api api = new Api(port);
        assertThat(health(api)).isEqualTo("UP");
        // A big IPv6-only cluster takes seconds to provision: cut the engine in the middle of it.
        String inFlight = api.post("/clusters", "{\"bootstrap\":\"none\",\"ipMode\":\"ipv6\",\"workers\":10}")
                .json().get("id").asString();
        // Cut once the network and some nodes exist, so there is something to clean up afterwards.
        Awaitility.await().atMost(SETTLE).pollInterval(Duration.ofMillis(20))
                .until(() -> TestDocker.objectsOfCluster(inFlight) >= 3);

        PROXY.cut();
        try {
            JsonNode failed = api.awaitStatus(inFlight, "FAILED", SETTLE);
            assertThat(failed.get("statusReason").asString()).startsWith("step ")
                    .contains("the Docker engine cannot be reached")
                    .contains("what remains is removed when the cluster is deleted");
            assertThat(health(api)).isEqualTo("DOWN");
            Api.Response refused = api.post("/clusters", "{\"bootstrap\":\"none\"}");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(api.get("/clusters/" + inFlight).status()).isEqualTo(200);
        } finally {
            PROXY.restore();
        }

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> health(api).equals("UP"));
        Api.Response again = api.post("/clusters?wait=60s", "{\"bootstrap\":\"none\",\"workers\":1}");
        assertThat(again.json().get("status").asString()).isEqualTo("RUNNING");
        String working = again.json().get("id").asString();

        api.delete("/clusters/" + inFlight);
        api.delete("/clusters/" + working);
        api.awaitStatus(inFlight, "DELETED", SETTLE);
        api.awaitStatus(working, "DELETED", SETTLE);
        assertThat(TestDocker.objectsOfCluster(inFlight)).isZero();
        assertThat(TestDocker.objectsOfCluster(working)).isZero();
    }
}
