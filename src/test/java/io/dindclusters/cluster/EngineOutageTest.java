package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.EngineSocketProxy;
import io.dindclusters.support.HoldStep;
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
@org.junit.jupiter.api.Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dind.docker.instance=test-${dind.test.run}-engineoutage",
        "dind.docker.connect-timeout=2s",
        "dind.docker.response-timeout=20s"})
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
        // Cut the engine in the middle of a provisioning: held once its network exists (something to clean up
        // afterwards), let go once the engine is gone, so that create-nodes meets the outage.
        var hold = new HoldStep.Hold(HoldStep.BEFORE_NODES);
        String inFlight = api.post("/clusters", "{\"bootstrap\":\"none\",\"ipMode\":\"ipv6\",\"workers\":1,"
                + hold.labelsJson() + "}").json().get("id").asString();
        hold.awaitHeld(SETTLE);
        assertThat(TestDocker.objectsOfCluster(inFlight)).as("the network").isEqualTo(1);

        PROXY.cut();
        hold.close();
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
