package io.dindclusters.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** With no engine at the configured address, health is DOWN and names the Docker engine. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:unreachable-docker;DB_CLOSE_DELAY=-1",
        "dind.docker.host=unix:///nonexistent/docker.sock",
        "dind.docker.instance=test-unreachable"})
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
    }
}
