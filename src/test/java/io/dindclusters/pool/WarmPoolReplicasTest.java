package io.dindclusters.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.DindClustersApplication;
import io.dindclusters.support.Api;
import io.dindclusters.support.Postgres;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A warm pool shared by two replicas on one PostgreSQL database: both refill it without ever holding more than its
 * size, many concurrent creates through both get each ready cluster exactly once (the rest are made on demand), the
 * counts agree on both replicas, and the pool's clusters survive a restart of the service and are claimed after it.
 */
@Tag("docker")
class WarmPoolReplicasTest {

    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final int SIZE = 3;
    private static final int CREATES = 12;
    private static final String SPEC = "{\"bootstrap\":\"none\",\"workers\":0,\"ipMode\":\"ipv4\"}";

    private final String instance = TestRun.instance("warm-pool-" + UUID.randomUUID());
    private final List<String> database = Postgres.arguments("warmpool");

    private ConfigurableApplicationContext start(String replica) {
        List<String> arguments = new ArrayList<>(database);
        arguments.addAll(List.of("--server.port=0", "--dind.docker.instance=" + instance,
                "--dind.replica.id=" + replica, "--dind.replica.claim-interval=500ms",
                "--dind.pool-refill.interval=200ms", "--dind.pool-refill.concurrency=" + SIZE,
                "--dind.pools[0].name=race", "--dind.pools[0].size=" + SIZE,
                "--dind.pools[0].spec.bootstrap=none", "--dind.pools[0].spec.workers=0"));
        return new SpringApplicationBuilder(DindClustersApplication.class).run(arguments.toArray(String[]::new));
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private static JsonNode pool(Api api) {
        return api.get("/pools").json().get(0);
    }

    /** Ids of the pool's clusters nobody claimed that are not DELETED, as an admin lists them. */
    private static Set<String> unclaimed(Api api) {
        Set<String> ids = new HashSet<>();
        for (JsonNode c : api.get("/clusters?limit=100&status=PENDING&status=PROVISIONING&status=RUNNING")
                .json().get("items")) {
            if ("race".equals(c.path("pool").asString(null)) && !c.has("claimedAt")) {
                ids.add(c.get("id").asString());
            }
        }
        return ids;
    }

    private static Set<String> awaitFull(Api api) {
        return Awaitility.await().atMost(SETTLE).pollInterval(Duration.ofMillis(100)).until(() -> {
            Set<String> ids = unclaimed(api);
            assertThat(ids.size()).as("the pool never holds more than its size").isLessThanOrEqualTo(SIZE);
            return pool(api).get("ready").asInt() == SIZE ? ids : null;
        }, java.util.Objects::nonNull);
    }

    @Test
    void twoReplicasHandEachReadyClusterToExactlyOneCreateAndThePoolSurvivesARestart() throws Exception {
        Set<String> readyBeforeRestart;
        try (var a = start("pool-replica-a"); var b = start("pool-replica-b")) {
            List<Api> apis = List.of(api(a), api(b));
            Set<String> ready = awaitFull(apis.get(0));

            ExecutorService clients = Executors.newFixedThreadPool(CREATES);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JsonNode>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < CREATES; i++) {
                    Api through = apis.get(i % 2);
                    answers.add(clients.submit(() -> {
                        go.await(10, TimeUnit.SECONDS);
                        Api.Response r = through.post("/clusters", SPEC);
                        assertThat(r.status()).as(r.body()).isEqualTo(202);
                        return r.json();
                    }));
                }
                go.countDown();
                List<JsonNode> created = new ArrayList<>();
                for (Future<JsonNode> answer : answers) {
                    created.add(answer.get(60, TimeUnit.SECONDS));
                }
                List<String> ids = created.stream().map(c -> c.get("id").asString()).toList();
                List<String> pooled = created.stream().filter(c -> c.get("pooled").asBoolean())
                        .map(c -> c.get("id").asString()).toList();
                assertThat(ids).doesNotHaveDuplicates();
                assertThat(pooled).as("each ready cluster went to exactly one create").hasSize(SIZE)
                        .containsExactlyInAnyOrderElementsOf(ready);
                for (Api api : apis) {
                    JsonNode counts = pool(api);
                    assertThat(counts.get("hits").asLong()).isEqualTo(SIZE);
                    assertThat(counts.get("misses").asLong()).isEqualTo(CREATES - SIZE);
                }
                for (String id : ids) {
                    assertThat(apis.get(1).get("/clusters/" + id + "?wait=120s").json().get("status").asString())
                            .isEqualTo("RUNNING");
                    apis.get(0).delete("/clusters/" + id);
                }
                for (String id : ids) {
                    apis.get(1).awaitStatus(id, "DELETED", SETTLE);
                    assertThat(TestDocker.objectsOfCluster(id)).isZero();
                }
            } finally {
                clients.shutdownNow();
            }
            readyBeforeRestart = awaitFull(apis.get(1));
        }

        try (var c = start("pool-replica-c")) {
            Api api = api(c);
            assertThat(awaitFull(api)).as("the same clusters, not new ones").isEqualTo(readyBeforeRestart);
            JsonNode claimed = api.post("/clusters?wait=10s", SPEC).json();
            assertThat(claimed.get("pooled").asBoolean()).isTrue();
            assertThat(readyBeforeRestart).contains(claimed.get("id").asString());
            assertThat(claimed.get("status").asString()).isEqualTo("RUNNING");
            assertThat(TestDocker.objectsOfCluster(claimed.get("id").asString())).isEqualTo(2);
        }
    }
}
