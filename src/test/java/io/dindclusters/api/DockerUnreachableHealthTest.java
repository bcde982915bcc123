package io.dindclusters.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.TestImages;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With no engine at the configured address, health is DOWN and names the Docker engine (as the host checker last
 * found it), the liveness and readiness probes stay UP (the process lives, the database serves), and creates get a
 * 503. Its
 * allow-list leaves out the default node image, so a create that names none is refused for that first.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dind.docker.host=unix:///nonexistent/docker.sock",
        "dind.clusters.allowed-node-images=localhost/dind-clusters/allowed-here:*",
        "dind.docker.instance=test-${dind.test.run}-dockerunreachablehealth"})
class DockerUnreachableHealthTest {

    @LocalServerPort
    int port;

    @Test
    void healthIsDownWhenTheEngineCannotBeReached() {
        Api.Response health = new Api(port).get("/actuator/health");

        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().get("status").asString()).isEqualTo("DOWN");
        assertThat(health.json().get("components").get("docker").get("status").asString()).isEqualTo("DOWN");
        assertThat(health.json().get("components").get("db").get("status").asString()).isEqualTo("UP");
        assertThat(health.json().get("components").get("docker").get("components").get("local").get("details")
                .get("checkedAt").asString()).as("the checker's last result").isNotEqualTo("null");
    }

    @Test
    void theProbesDoNotHangOnTheEngine() {
        Api api = new Api(port);
        // The process is alive and can serve: neither probe sends it away because an engine is gone.
        Api.Response liveness = api.get("/actuator/health/liveness");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.json().get("components").properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("livenessState");
        Api.Response readiness = api.get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("components").properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactlyInAnyOrder("readinessState", "db");
    }

    @Test
    void aCreateIsRefusedWithA503AndStoresNothing() {
        Api api = new Api(port);

        Api.Response refused = api.post("/clusters",
                "{\"bootstrap\":\"none\",\"nodeImage\":\"localhost/dind-clusters/allowed-here:1\"}");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("10");
        assertThat(refused.json().get("title").asString()).isEqualTo("No Docker host available");
        assertThat(refused.json().get("dockerHosts").get("local").asString())
                .contains("the Docker engine cannot be reached");
        assertThat(api.get("/clusters").json().get("items")).isEmpty();
    }

    @Test
    void aDefaultNodeImageOutsideTheAllowListIsRefusedWith403() {
        Api.Response refused = new Api(port).post("/clusters", "{\"bootstrap\":\"none\"}");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("title").asString()).isEqualTo("Node image not allowed");
        assertThat(refused.json().get("detail").asString()).contains(TestImages.NODE).contains("1 pattern(s)")
                .doesNotContain("allowed-here");
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("nodeImage");
        assertThat(new Api(port).get("/clusters").json().get("items")).isEmpty();
    }
}
