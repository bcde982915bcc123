package io.dindclusters.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * With API tokens configured: every cluster belongs to its creator's owner, other owners cannot see or touch it
 * (404, as if it did not exist), an admin token sees all, requests without a valid token get 401, health stays
 * open, and quotas per owner answer 429 naming the limit.
 */
@ExtendWith(OutputCaptureExtension.class)
@org.junit.jupiter.api.Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dind.docker.instance=test-${dind.test.run}-tenantisolation",
        "dind.security.tokens[0].owner=team-a",
        "dind.security.tokens[0].sha256=a70bf50e531ce1a817561f2f5d5b6645d4e806becf58ccc5e8cf6b8045a090a8",
        "dind.security.tokens[1].owner=team-b",
        "dind.security.tokens[1].sha256=49e2bb7eab54cf09b409ffafd3fa8a8a955a60eb972faacaefbed3dbd3207132",
        "dind.security.tokens[2].owner=ops",
        "dind.security.tokens[2].sha256=00f5f9625c49504b0776853a9cd04aa7a75f26b4760fc7fd555437b111b54390",
        "dind.security.tokens[2].admin=true",
        "dind.security.tokens[3].owner=team-q",
        "dind.security.tokens[3].sha256=a0ad45ed77044228742b78136ba80037fb53166a64ba155445f4a72f6ffcc8a0",
        "dind.quotas.max-clusters-per-owner=2",
        "dind.quotas.max-nodes-per-owner=6"})
class TenantIsolationTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final String SMALL = "{\"bootstrap\":\"none\",\"workers\":0}";

    @LocalServerPort
    int port;

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    @Test
    void anOwnerSeesAndTouchesOnlyItsOwnClustersAndTheAdminSeesAll() {
        Api api = new Api(port);
        Api.Response created = api.postWithHeaders("/clusters", SMALL, bearer("token-a"));
        assertThat(created.status()).isEqualTo(202);
        assertThat(created.json().get("owner").asString()).isEqualTo("team-a");
        String id = created.json().get("id").asString();
        String name = created.json().get("name").asString();

        for (String path : List.of("/clusters/" + id, "/clusters/" + name, "/clusters/" + id + "/kubeconfig",
                "/clusters/" + id + "/events")) {
            assertThat(api.get(path, bearer("token-b")).status()).as(path).isEqualTo(404);
        }
        assertThat(api.deleteWithHeaders("/clusters/" + id, bearer("token-b")).status()).isEqualTo(404);
        assertThat(api.patchWithHeaders("/clusters/" + id, "{\"ttl\":\"PT1H\"}", bearer("token-b")).status())
                .isEqualTo(404);
        assertThat(ids(api.get("/clusters", bearer("token-b")).json())).doesNotContain(id);

        assertThat(api.get("/clusters/" + id, bearer("token-a")).status()).isEqualTo(200);
        assertThat(ids(api.get("/clusters", bearer("token-a")).json())).contains(id);
        assertThat(ids(api.get("/clusters", bearer("token-admin")).json())).contains(id);
        assertThat(api.get("/clusters/" + id + "?wait=60s", bearer("token-admin")).json().get("status").asString())
                .isEqualTo("RUNNING");

        // The fleet stream shows each owner only its own clusters, an admin all of them.
        try (Api.Stream ofA = api.openStream("/events", bearer("token-a"));
             Api.Stream ofB = api.openStream("/events", bearer("token-b"));
             Api.Stream ofAdmin = api.openStream("/events", bearer("token-admin"))) {
            String ofTeamB = api.postWithHeaders("/clusters", SMALL, bearer("token-b")).json().get("id").asString();
            Awaitility.await().atMost(SETTLE).until(() -> clustersOn(ofA).contains(id)
                    && clustersOn(ofB).contains(ofTeamB) && clustersOn(ofAdmin).containsAll(List.of(id, ofTeamB)));
            assertThat(clustersOn(ofB)).doesNotContain(id);
            assertThat(clustersOn(ofA)).doesNotContain(ofTeamB);
            assertThat(api.deleteWithHeaders("/clusters/" + ofTeamB, bearer("token-b")).status()).isEqualTo(202);
            assertThat(api.get("/clusters/" + ofTeamB + "?wait=60s", bearer("token-b")).json().get("status").asString())
                    .isEqualTo("DELETED");
        }
        assertThat(api.get("/events").status()).as("no token").isEqualTo(401);

        assertThat(api.deleteWithHeaders("/clusters/" + id, bearer("token-a")).status()).isEqualTo(202);
        assertThat(api.get("/clusters/" + id + "?wait=60s", bearer("token-a")).json().get("status").asString())
                .isEqualTo("DELETED");
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
    }

    private static java.util.Set<String> clustersOn(Api.Stream stream) {
        return stream.events().stream().filter(e -> e.id() != null).map(e -> e.json().get("cluster").asString())
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void requestsWithoutAValidTokenGet401AndHealthStaysOpen(CapturedOutput output) {
        Api api = new Api(port);
        for (String[] headers : List.of(new String[0], bearer("not-a-token"), new String[] {"Authorization", "Basic eDp5"})) {
            Api.Response refused = api.get("/clusters", headers);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(api.postWithHeaders("/clusters", SMALL).status()).isEqualTo(401);
        assertThat(api.get("/clusters", bearer("token-admin")).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health").status()).isEqualTo(200);
        assertThat(api.get("/actuator/prometheus").status()).as("metrics open unless protected").isEqualTo(200);
        assertThat(output.getAll()).doesNotContain("token-a", "token-admin", "not-a-token");
    }

    @Test
    void theDockerHostsAreForAdminsOnly() {
        Api api = new Api(port);
        Api.Response tenant = api.get("/docker-hosts", bearer("token-a"));
        assertThat(tenant.status()).isEqualTo(403);
        assertThat(tenant.header("Content-Type")).startsWith("application/problem+json");
        assertThat(tenant.json().get("title").asString()).isEqualTo("Admins only");
        assertThat(tenant.body()).doesNotContain("unix://", "/var/run/docker.sock");
        assertThat(api.get("/docker-hosts").status()).isEqualTo(401);
        Api.Response admin = api.get("/docker-hosts", bearer("token-admin"));
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.json().get(0).get("name").asString()).isEqualTo("local");
    }

    /**
     * One audit line per create, TTL change, delete and refusal, in the services' log of this run (logback-test.xml
     * writes INFO there), each counted; no token ever appears.
     */
    @Test
    void createsChangesDeletionsAndRefusalsAreAudited() throws Exception {
        Api api = new Api(port);
        String before = api.get("/actuator/prometheus").body();
        String id = api.postWithHeaders("/clusters", SMALL, bearer("token-a")).json().get("id").asString();
        assertThat(api.patchWithHeaders("/clusters/" + id, "{\"ttl\":\"PT2H\"}", bearer("token-a")).status())
                .isEqualTo(200);
        assertThat(api.deleteWithHeaders("/clusters/" + id, bearer("token-b")).status()).isEqualTo(404);
        assertThat(api.deleteWithHeaders("/clusters/" + id, bearer("token-a")).status()).isEqualTo(202);
        assertThat(api.postWithHeaders("/clusters", "{\"bootstrap\":\"none\",\"nodeImage\":\"evil/root:1\"}",
                bearer("token-b")).status()).isEqualTo(403);
        String probe = "/clusters/audit-probe-" + id.substring(0, 8);
        assertThat(api.get(probe, bearer("not-a-token")).status()).isEqualTo(401);

        List<String> audit = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(this::auditLines,
                        lines -> lines.stream().anyMatch(l -> l.contains(probe)));
        assertThat(audit).anyMatch(l -> l.endsWith("audit action=create owner=team-a cluster=" + id + " result=accepted"))
                .anyMatch(l -> l.endsWith("audit action=extend-ttl owner=team-a cluster=" + id + " result=accepted"))
                .anyMatch(l -> l.endsWith("audit action=delete owner=team-b cluster=" + id + " result=refused-404"))
                .anyMatch(l -> l.endsWith("audit action=delete owner=team-a cluster=" + id + " result=accepted"))
                .anyMatch(l -> l.endsWith("audit action=create owner=team-b cluster=- result=refused-403"))
                .anyMatch(l -> l.endsWith("audit action=authenticate owner=- cluster=\"GET " + probe
                        + "\" result=invalid-token"))
                .noneMatch(l -> l.contains("token-a") || l.contains("token-b") || l.contains("not-a-token"));
        String after = api.get("/actuator/prometheus").body();
        assertThat(io.dindclusters.support.Prometheus.sample(after, "dind_audit_events_total", "action=\"create\"",
                "result=\"refused-403\"")).isEqualTo(io.dindclusters.support.Prometheus.sample(before,
                "dind_audit_events_total", "action=\"create\"", "result=\"refused-403\"") + 1);
        assertThat(api.get("/clusters/" + id + "?wait=60s", bearer("token-a")).json().get("status").asString())
                .isEqualTo("DELETED");
    }

    private List<String> auditLines() throws java.io.IOException {
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of("target", "test-logs", "service.log")).stream()
                .filter(l -> l.contains("audit action=")).toList();
    }

    @Test
    void quotasPerOwnerAnswer429NamingTheLimit() {
        Api api = new Api(port);
        Api.Response tooBig = api.postWithHeaders("/clusters", "{\"bootstrap\":\"none\",\"workers\":6}", bearer("token-q"));
        assertThat(tooBig.status()).isEqualTo(429);
        assertThat(tooBig.json().get("limit").asString()).isEqualTo("dind.quotas.max-nodes-per-owner");
        assertThat(tooBig.header("Retry-After")).isEqualTo("30");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Api.Response ok = api.postWithHeaders("/clusters", SMALL, bearer("token-q"));
            assertThat(ok.status()).isEqualTo(202);
            ids.add(ok.json().get("id").asString());
        }
        Api.Response third = api.postWithHeaders("/clusters", SMALL, bearer("token-q"));
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.json().get("limit").asString()).isEqualTo("dind.quotas.max-clusters-per-owner");
        assertThat(third.json().get("detail").asString()).contains("owner 'team-q' has 2 live clusters");
        // Another owner is not held back by team-q's clusters.
        Api.Response other = api.postWithHeaders("/clusters", SMALL, bearer("token-b"));
        assertThat(other.status()).isEqualTo(202);
        ids.add(other.json().get("id").asString());

        for (String id : ids) {
            api.deleteWithHeaders("/clusters/" + id, bearer("token-admin"));
        }
        for (String id : ids) {
            assertThat(api.get("/clusters/" + id + "?wait=60s", bearer("token-admin")).json().get("status").asString())
                    .isEqualTo("DELETED");
        }
        assertThat(api.postWithHeaders("/clusters", SMALL, bearer("token-q")).status()).as("room again").isEqualTo(202);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(c -> ids.add(c.get("id").asString()));
        return ids;
    }
}
