package io.dindclusters.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.DindClustersApplication;
import io.dindclusters.support.Api;
import io.dindclusters.support.HoldStep;
import io.dindclusters.support.Postgres;
import io.dindclusters.support.ServiceProcess;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas of the service on one PostgreSQL database and one engine: whichever accepts a request, each cluster
 * is provisioned exactly once, both stream the same events, and when a replica dies mid-provisioning the other
 * takes the work over once its lease runs out and fails the cluster cleanly.
 */
@org.junit.jupiter.api.Tag("docker")
class ReplicasTest {

    private static final Duration SETTLE = Duration.ofSeconds(120);

    @TempDir
    Path data;

    private final String instance = io.dindclusters.support.TestRun.instance("replicas-" + UUID.randomUUID());
    /** Each test's replicas share a schema no other service in this run uses. */
    private final List<String> database = Postgres.arguments("replicas");

    /** What both kinds of replica share: the database, and short leases so a takeover comes soon. */
    private List<String> replicaArguments(String replica) {
        List<String> arguments = new ArrayList<>(database);
        arguments.addAll(List.of("--dind.replica.id=" + replica, "--dind.replica.lease=3s",
                "--dind.replica.heartbeat-interval=1s", "--dind.replica.claim-interval=500ms"));
        return arguments;
    }

    private ConfigurableApplicationContext start(String replica) {
        List<String> arguments = replicaArguments(replica);
        // the offline test defaults and this run's pools come from the test class path and TestRun
        arguments.addAll(List.of("--server.port=0", "--dind.docker.instance=" + instance));
        return new SpringApplicationBuilder(DindClustersApplication.class).run(arguments.toArray(String[]::new));
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void clustersCreatedThroughEitherReplicaAreProvisionedOnceAndStreamTheSameEvents() {
        try (var a = start("replica-a"); var b = start("replica-b")) {
            List<Api> apis = List.of(api(a), api(b));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(apis.get(i % 2).post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}")
                        .json().get("id").asString());
            }
            for (String id : ids) {
                assertThat(apis.get(0).get("/clusters/" + id + "?wait=120s").json().get("status").asString())
                        .isEqualTo("RUNNING");
            }
            for (String id : ids) {
                var fromA = apis.get(0).readStream("/clusters/" + id + "/events", SETTLE);
                var fromB = apis.get(1).readStream("/clusters/" + id + "/events", SETTLE);
                assertThat(fromB).isEqualTo(fromA);
                assertThat(fromA).filteredOn(e -> "step-started".equals(e.event()))
                        .extracting(e -> e.json().get("step").asString()).containsOnlyOnce("create-network");
                assertThat(fromA).filteredOn(e -> "status".equals(e.event()))
                        .extracting(e -> e.json().get("status").asString())
                        .containsExactly("PENDING", "PROVISIONING", "RUNNING");
                assertThat(TestDocker.objectsOfCluster(id)).isEqualTo(2);
            }
            for (String id : ids) {
                apis.get(1).delete("/clusters/" + id);
            }
            for (String id : ids) {
                assertThat(apis.get(0).get("/clusters/" + id + "?wait=60s").json().get("status").asString())
                        .isEqualTo("DELETED");
                assertThat(TestDocker.objectsOfCluster(id)).isZero();
            }
        }
    }

    @Test
    void concurrentCreatesThroughBothReplicasNeverShareAnAddressBlock() {
        try (var a = start("replica-a"); var b = start("replica-b")) {
            List<Api> apis = List.of(api(a), api(b));
            List<java.util.concurrent.CompletableFuture<Api.Response>> posts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Api api = apis.get(i % 2);
                posts.add(java.util.concurrent.CompletableFuture.supplyAsync(() ->
                        api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0,\"ipMode\":\"dual\"}")));
            }
            List<String> ids = new ArrayList<>();
            List<inet.ipaddr.IPAddress> blocks = new ArrayList<>();
            for (var post : posts) {
                Api.Response response = post.join();
                assertThat(response.status()).as(response.body()).isEqualTo(202);
                ids.add(response.json().get("id").asString());
                JsonNode network = response.json().get("spec").get("network");
                for (String field : List.of("subnet", "podSubnet", "serviceCidr")) {
                    for (String cidr : network.get(field).asString().split(",")) {
                        blocks.add(io.dindclusters.network.IpLiterals.cidr(cidr).orElseThrow());
                    }
                }
            }
            for (int i = 0; i < blocks.size(); i++) {
                for (int j = i + 1; j < blocks.size(); j++) {
                    assertThat(blocks.get(i).overlaps(blocks.get(j))).as(blocks.get(i) + " and " + blocks.get(j)).isFalse();
                }
            }
            for (String id : ids) {
                assertThat(apis.get(1).get("/clusters/" + id + "?wait=120s").json().get("status").asString())
                        .isEqualTo("RUNNING");
                apis.get(0).delete("/clusters/" + id);
            }
            for (String id : ids) {
                assertThat(apis.get(0).get("/clusters/" + id + "?wait=60s").json().get("status").asString())
                        .isEqualTo("DELETED");
            }
        }
    }

    @Test
    void whenAReplicaDiesMidProvisioningTheOtherTakesOverAndFailsTheClusterCleanly() {
        try (var b = start("replica-b")) {
            String id;
            try (var a = ServiceProcess.start(data.resolve("unused"), instance, data.resolve("replica-a.log"),
                    replicaArguments("replica-a").toArray(String[]::new))) {
                try (var hold = new HoldStep.Hold(HoldStep.AFTER_NODES)) {
                    id = a.api().post("/clusters", "{\"bootstrap\":\"none\",\"ipMode\":\"ipv6\",\"workers\":1,"
                            + hold.labelsJson() + "}").json().get("id").asString();
                    hold.awaitHeld(SETTLE);
                    a.kill();
                }
            }
            JsonNode failed = api(b).get("/clusters/" + id + "?wait=60s").json();
            assertThat(failed.get("status").asString()).isEqualTo("FAILED");
            assertThat(failed.get("statusReason").asString()).contains("takeover by replica replica-b");
            assertThat(TestDocker.objectsOfCluster(id)).isZero();
            api(b).delete("/clusters/" + id);
            assertThat(api(b).get("/clusters/" + id + "?wait=60s").json().get("status").asString()).isEqualTo("DELETED");
        }
    }
}
