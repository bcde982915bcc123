package io.dindclusters.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.ServiceTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Health includes the Docker engine; Prometheus sees clusters by status, step timings and engine errors. */
@ServiceTest
class ActuatorTest {

    @LocalServerPort
    int port;

    @Test
    void healthReportsTheDockerEngineUp() {
        Api.Response health = new Api(port).get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().get("components").get("docker").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusShowsClustersStepTimingsAndEngineErrors() {
        Api api = new Api(port);
        String id = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}").json().get("id").asString();
        api.awaitStatus(id, "RUNNING", Duration.ofSeconds(90));
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", Duration.ofSeconds(90));

        String metrics = api.get("/actuator/prometheus").body();

        assertThat(metrics).containsPattern("dind_clusters\\{[^}]*status=\"DELETED\"[^}]*} [1-9]");
        assertThat(metrics).contains("dind_clusters{", "status=\"RUNNING\"");
        assertThat(metrics).containsPattern("dind_provisioning_step_seconds_count\\{[^}]*step=\"create-nodes\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("dind_teardown_step_seconds_count\\{[^}]*step=\"remove-containers\"[^}]*} [1-9]");
        assertThat(metrics).contains("dind_docker_api_errors_total{", "operation=\"container.create\"");
    }
}
