package io.dindclusters.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.docker.Labels;
import io.dindclusters.support.Api;
import io.dindclusters.support.ServiceTest;
import io.dindclusters.support.TestDocker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * GET /docker-hosts/{name}/preflight on this machine's real engine: every check comes back with a status and what
 * was seen, the probe containers are gone afterwards, the gauge has each check, a cluster placed on the host gets its
 * warnings as events, GET /docker-hosts and /actuator/health/preflight summarize it, and an unknown host is 404. What this machine really is goes to the test output.
 */
@ServiceTest
// a context of its own: once checked, the host's warnings become events of every cluster placed on it
@org.springframework.test.context.TestPropertySource(properties = "dind.test.context=preflight")
class PreflightEndpointTest {

    @LocalServerPort
    int port;
    @Value("${dind.docker.instance}")
    String instance;

    @Test
    void checksTheLocalEngineAndLeavesNothingBehind() {
        Api api = new Api(port);
        Api.Response response = api.get("/docker-hosts/local/preflight");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        List<String> names = new ArrayList<>();
        for (JsonNode check : report.get("checks")) {
            names.add(check.get("name").asString());
            assertThat(check.get("status").asString()).isIn("ok", "warn", "fail");
            assertThat(check.get("seen").asString()).isNotBlank();
            System.out.println("preflight of this machine: " + check.get("name").asString() + " "
                    + check.get("status").asString() + ": " + check.get("seen").asString());
        }
        assertThat(names).containsExactly("probe", "privileged", "cgroup", "storage", "ipv6", "ipv6-forwarding",
                "ip6tables", "tun", "kernel-modules", "conntrack", "swap", "inotify", "disk", "versions");
        assertThat(report.get("checks").get(0).get("status").asString()).as("the probe ran").isEqualTo("ok");
        assertThat(report.get("host").asString()).isEqualTo("local");
        assertThat(TestDocker.containers(Map.of(Labels.INSTANCE, instance, Labels.ROLE, HostProbe.ROLE)))
                .as("probe containers left").isEmpty();

        JsonNode host = api.get("/docker-hosts").json().get(0);
        assertThat(host.get("preflight").asString()).as("GET /docker-hosts").isEqualTo(report.get("status").asString());
        assertThat(host.get("preflightCheckedAt").asString()).isEqualTo(report.get("checkedAt").asString());
        JsonNode health = api.get("/actuator/health/preflight").json();
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("details").get("local").get("status").asString()).isEqualTo(report.get("status").asString());

        String metrics = api.get("/actuator/prometheus").body();
        assertThat(metrics).contains("dind_docker_host_preflight{check=\"ipv6\",host=\"local\"}");
        assertThat(api.get("/docker-hosts/no-such-host/preflight").status()).isEqualTo(404);

        List<String> warned = new ArrayList<>();
        report.get("checks").forEach(c -> {
            if (c.get("status").asString().equals("warn")) {
                warned.add("Docker host local warns in its preflight check " + c.get("name").asString() + ": "
                        + c.get("seen").asString());
            }
        });
        String id = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}").json().get("id").asString();
        List<String> logged = new ArrayList<>();
        for (Api.SseEvent event : api.readStream("/clusters/" + id + "/events", java.time.Duration.ofSeconds(60))) {
            if ("log".equals(event.event()) && event.json().get("message").asString().contains("preflight")) {
                logged.add(event.json().get("message").asString());
            }
        }
        assertThat(logged).as("the host's warnings, as the cluster's events").isEqualTo(warned);
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", java.time.Duration.ofSeconds(60));
    }
}
