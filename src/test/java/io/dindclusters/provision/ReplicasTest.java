package io.dindclusters.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.DindClustersApplication;
import io.dindclusters.cluster.ClusterRequested;
import io.dindclusters.support.Api;
import io.dindclusters.support.HoldStep;
import io.dindclusters.support.Postgres;
import io.dindclusters.support.Prometheus;
import io.dindclusters.support.ServiceProcess;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas of the service on one PostgreSQL database and one engine: whichever accepts a request, each cluster
 * is provisioned exactly once, both stream the same events; when a replica dies mid-provisioning the other takes
 * the work over once its lease runs out and provisions it again; a replica stopped with SIGTERM finishes what it can,
 * hands the rest back, and answers its waiting clients.
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

    private ConfigurableApplicationContext start(String replica, Class<?>... extraSources) {
        List<String> arguments = replicaArguments(replica);
        // the offline test defaults and this run's pools come from the test class path and TestRun
        arguments.addAll(List.of("--server.port=0", "--dind.docker.instance=" + instance));
        return new SpringApplicationBuilder(DindClustersApplication.class).sources(extraSources)
                .run(arguments.toArray(String[]::new));
    }

    /**
     * Reads, first of everything that runs once a request's transaction has committed, who holds the new cluster's
     * work: what another replica's claimer would see at that moment.
     */
    static class HolderAtCommit {
        final Map<String, String> holders = new ConcurrentHashMap<>();
        private final JdbcClient jdbc;

        HolderAtCommit(JdbcClient jdbc) {
            this.jdbc = jdbc;
        }

        @TransactionalEventListener
        @Order(Ordered.HIGHEST_PRECEDENCE)
        void onRequested(ClusterRequested event) {
            holders.put(event.clusterId(), jdbc.sql("SELECT COALESCE(claimed_by, '(nobody)') FROM clusters WHERE id = ?")
                    .param(event.clusterId()).query(String.class).single());
        }
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
    void whenAReplicaDiesHoldingFourClustersTheOtherProvisionsEachAgainWithNothingLeaked() {
        try (var b = start("replica-b")) {
            List<String> ids = new ArrayList<>();
            List<HoldStep.Hold> holds = new ArrayList<>();
            try {
                try (var a = ServiceProcess.start(data.resolve("unused"), instance, data.resolve("replica-a.log"),
                        replicaArguments("replica-a").toArray(String[]::new))) {
                    for (int i = 0; i < 4; i++) {
                        var hold = new HoldStep.Hold(HoldStep.AFTER_NODES);
                        holds.add(hold);
                        ids.add(a.api().post("/clusters", "{\"bootstrap\":\"none\",\"workers\":1,"
                                + hold.labelsJson() + "}").json().get("id").asString());
                    }
                    for (var hold : holds) {
                        hold.awaitHeld(SETTLE);
                    }
                    a.kill();
                }
                holds.forEach(HoldStep.Hold::release);
                for (String id : ids) {
                    JsonNode running = api(b).get("/clusters/" + id + "?wait=120s").json();
                    assertThat(running.get("status").asString()).as(running.toString()).isEqualTo("RUNNING");
                    assertThat(running.get("provisioningAttempts").asInt()).isEqualTo(2);
                    assertThat(TestDocker.objectsOfCluster(id)).as("one set: network and two nodes").isEqualTo(3);
                    assertThat(api(b).readStream("/clusters/" + id + "/events", SETTLE))
                            .filteredOn(e -> "status".equals(e.event()))
                            .extracting(e -> e.json().get("message").asString())
                            .anySatisfy(m -> assertThat(m).contains("attempt 1 was lost: replica replica-a stopped "
                                    + "while provisioning it").contains("replica replica-b removed"));
                }
                String metrics = api(b).get("/actuator/prometheus").body();
                assertThat(Prometheus.sample(metrics, "dind_provisioning_attempts_total", "outcome", "lost"))
                        .isEqualTo(4.0);
                assertThat(Prometheus.sample(metrics, "dind_provisioning_attempts_total", "outcome", "running"))
                        .isGreaterThanOrEqualTo(4.0);
            } finally {
                holds.forEach(HoldStep.Hold::close);
            }
            for (String id : ids) {
                api(b).delete("/clusters/" + id);
            }
            for (String id : ids) {
                assertThat(api(b).get("/clusters/" + id + "?wait=60s").json().get("status").asString()).isEqualTo("DELETED");
                assertThat(TestDocker.objectsOfCluster(id)).isZero();
            }
        }
    }

    @Test
    void theReplicaThatAcceptsARequestHoldsItsWorkFromTheCommitOn() {
        // Claimed only after the commit, a cluster was briefly anybody's: another replica's claimer took one of four
        // in a CI run, and the replica that accepted it never provisioned it.
        try (var a = start("replica-a", HolderAtCommit.class)) {
            String id = api(a).post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}").json().get("id").asString();
            assertThat(a.getBean(HolderAtCommit.class).holders).containsEntry(id, "replica-a");
            assertThat(api(a).get("/clusters/" + id + "?wait=120s").json().get("status").asString()).isEqualTo("RUNNING");
            api(a).delete("/clusters/" + id);
            assertThat(api(a).get("/clusters/" + id + "?wait=60s").json().get("status").asString()).isEqualTo("DELETED");
            assertThat(TestDocker.objectsOfCluster(id)).isZero();
        }
    }

    @Test
    void aReplicaStoppedWithSigtermFinishesWhatItCanHandsTheRestBackAndLosesNoClient() {
        try (var b = start("replica-b");
             var finishing = new HoldStep.Hold(HoldStep.AFTER_NODES);
             var stuck = new HoldStep.Hold(HoldStep.AFTER_NODES)) {
            List<String> arguments = replicaArguments("replica-a");
            arguments.add("--dind.replica.drain-timeout=8s");
            String finished;
            String handedBack;
            String late;
            Api.Response answered;
            List<Api.SseEvent> fromA;
            try (var a = ServiceProcess.start(data.resolve("unused"), instance, data.resolve("replica-a.log"),
                    arguments.toArray(String[]::new))) {
                Api api = a.api();
                finished = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0,"
                        + finishing.labelsJson() + "}").json().get("id").asString();
                handedBack = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0,"
                        + stuck.labelsJson() + "}").json().get("id").asString();
                finishing.awaitHeld(SETTLE);
                stuck.awaitHeld(SETTLE);
                var waiting = java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> api.get("/clusters/" + handedBack + "?wait=120s"));
                var stream = api.openStream("/clusters/" + handedBack + "/events");
                org.awaitility.Awaitility.await("the stream has its history").atMost(SETTLE)
                        .until(() -> stream.events().stream().anyMatch(e -> "step-started".equals(e.event())));

                a.signalTerminate();
                // Draining: out of a Service's endpoints at once, yet still answering, taking no new work.
                org.awaitility.Awaitility.await("replica-a not ready").atMost(Duration.ofSeconds(8))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> api.get("/actuator/health/readiness").status() == 503);
                Api.Response accepted = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}");
                assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
                late = accepted.json().get("id").asString();
                finishing.release(); // replica-a finishes this one while it drains
                assertThat(api(b).get("/clusters/" + late + "?wait=60s").json().get("status").asString())
                        .as("taken by replica-b").isEqualTo("RUNNING");
                a.waitForExit();

                answered = waiting.join();
                fromA = stream.awaitEnd(SETTLE);
            }
            // The client waiting on replica-a got the cluster as it was, and when to ask again.
            assertThat(answered.status()).as(answered.body()).isEqualTo(200);
            assertThat(answered.header("Retry-After")).isEqualTo("1");
            assertThat(answered.json().get("status").asString()).isIn("PENDING", "PROVISIONING");
            // The stream was told to reconnect; resumed on replica-b, it misses and repeats nothing.
            assertThat(fromA).anySatisfy(e -> assertThat(e.comment()).contains("reconnect with Last-Event-ID"));
            assertThat(fromA).anySatisfy(e -> assertThat(e.retry()).isEqualTo(1000L));
            List<Api.SseEvent> seenOnA = fromA.stream().filter(e -> e.id() != null).toList();
            stuck.release();
            List<Api.SseEvent> resumed = api(b).readStream("/clusters/" + handedBack + "/events", SETTLE,
                    "Last-Event-ID", seenOnA.get(seenOnA.size() - 1).id());
            List<Api.SseEvent> whole = api(b).readStream("/clusters/" + handedBack + "/events", SETTLE);
            List<Api.SseEvent> joined = new ArrayList<>(seenOnA);
            joined.addAll(resumed);
            assertThat(joined).isEqualTo(whole.stream().filter(e -> e.id() != null).toList());

            JsonNode moved = api(b).get("/clusters/" + handedBack + "?wait=120s").json();
            assertThat(moved.get("status").asString()).as(moved.toString()).isEqualTo("RUNNING");
            assertThat(moved.get("provisioningAttempts").asInt()).isEqualTo(2);
            assertThat(whole).filteredOn(e -> "status".equals(e.event()))
                    .extracting(e -> e.json().get("message").asString())
                    .anySatisfy(m -> assertThat(m).contains("attempt 1 was handed back: replica replica-a was shut down"));
            // The other one replica-a finished itself while it drained: one attempt.
            JsonNode done = api(b).get("/clusters/" + finished).json();
            assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("RUNNING");
            assertThat(done.get("provisioningAttempts").asInt()).isEqualTo(1);
            for (String id : List.of(finished, handedBack, late)) {
                assertThat(TestDocker.objectsOfCluster(id)).as("network and node, once").isEqualTo(2);
                api(b).delete("/clusters/" + id);
            }
            for (String id : List.of(finished, handedBack, late)) {
                assertThat(api(b).get("/clusters/" + id + "?wait=60s").json().get("status").asString()).isEqualTo("DELETED");
                assertThat(TestDocker.objectsOfCluster(id)).isZero();
            }
        }
    }
}
