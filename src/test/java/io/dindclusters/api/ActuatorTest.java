package io.dindclusters.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.Prometheus;
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
    void prometheusCountsClustersStepTimingsAndEngineErrors() {
        Api api = new Api(port);
        String before = api.get("/actuator/prometheus").body();
        // the gauges' truth is the database (the exposition may be up to a second old)
        long runningBefore = clusters("RUNNING");
        long deletedBefore = clusters("DELETED");
        long failedBefore = clusters("FAILED");
        String id = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}").json().get("id").asString();
        api.awaitStatus(id, "RUNNING", Duration.ofSeconds(90));
        // dind_clusters is read from the database at most once a second: awaited, within a bound, not read once.
        // Other tests of the context may have clusters too, so each figure is compared with itself before.
        awaitGauge(api, "RUNNING", runningBefore + 1);
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", Duration.ofSeconds(90));
        // An engine error of the kind operators alert on: a pull the registry refuses.
        String failing = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0,\"nodeImage\":\""
                + io.dindclusters.support.TestImages.MISSING + "\"}").json().get("id").asString();
        api.awaitStatus(failing, "FAILED", Duration.ofSeconds(90));

        awaitGauge(api, "DELETED", deletedBefore + 1);
        awaitGauge(api, "FAILED", failedBefore + 1);
        String after = api.get("/actuator/prometheus").body();
        assertThat(Prometheus.sample(after, "dind_provisioning_step_seconds_count", "step=\"create-nodes\"", "outcome=\"success\""))
                .isEqualTo(Prometheus.sample(before, "dind_provisioning_step_seconds_count", "step=\"create-nodes\"",
                        "outcome=\"success\"") + 1);
        assertThat(Prometheus.sample(after, "dind_provisioning_step_seconds_count", "step=\"create-nodes\"", "outcome=\"failure\""))
                .isEqualTo(Prometheus.sample(before, "dind_provisioning_step_seconds_count", "step=\"create-nodes\"",
                        "outcome=\"failure\"") + 1);
        assertThat(Prometheus.sample(after, "dind_teardown_step_seconds_count", "step=\"remove-containers\""))
                .isGreaterThan(Prometheus.sample(before, "dind_teardown_step_seconds_count", "step=\"remove-containers\""));
        assertThat(Prometheus.sample(after, "dind_docker_api_errors_total", "operation=\"image.pull\""))
                .isGreaterThan(Prometheus.sample(before, "dind_docker_api_errors_total", "operation=\"image.pull\""));
        api.delete("/clusters/" + failing);
        api.awaitStatus(failing, "DELETED", Duration.ofSeconds(90));
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private long clusters(String status) {
        return jdbc.sql("SELECT COUNT(*) FROM clusters WHERE status = ?").param(status).query(Long.class).single();
    }

    private static void awaitGauge(Api api, String status, double expected) {
        org.awaitility.Awaitility.await("dind_clusters{status=" + status + "} = " + expected)
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> Prometheus.sample(api.get("/actuator/prometheus").body(), "dind_clusters",
                        "status=\"" + status + "\"") == expected);
    }
}
