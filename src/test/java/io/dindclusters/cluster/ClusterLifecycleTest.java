package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import io.dindclusters.docker.Labels;
import io.dindclusters.support.Api;
import io.dindclusters.support.HoldStep;
import io.dindclusters.support.ServiceTest;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Whole life cycles through the HTTP API on the real Docker engine. */
@ServiceTest
class ClusterLifecycleTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    @LocalServerPort
    int port;
    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    private static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createsRunsAndDeletesANodesOnlyClusterLeavingNothingBehind() {
        String name = uniqueName("life");
        Api.Response created = api.post("/clusters", """
                {"name":"%s","bootstrap":"none","workers":2,"nodeImage":"%s","labels":{"suite":"lifecycle"}}"""
                .formatted(name, TestImages.NODE));

        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String id = created.json().get("id").asString();
        assertThat(created.header("Location")).isEqualTo("/clusters/" + id);
        JsonNode spec = created.json().get("spec");
        assertThat(spec.get("ipMode").asString()).isEqualTo("ipv4");
        assertThat(spec.get("workers").asInt()).isEqualTo(2);
        assertThat(created.json().get("links").get("events").asString()).isEqualTo("/clusters/" + id + "/events");

        JsonNode running = api.awaitStatus(id, "RUNNING", SETTLE);

        List<String> nodeNames = new ArrayList<>();
        running.get("nodes").forEach(n -> {
            nodeNames.add(n.get("name").asString());
            assertThat(n.get("ipv4").asString()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        });
        assertThat(nodeNames).containsExactlyInAnyOrder(name + "-control-plane", name + "-worker", name + "-worker2");
        List<Container> containers = TestDocker.containers(Map.of(Labels.CLUSTER, id));
        assertThat(containers).hasSize(3).allSatisfy(c -> assertThat(c.getState()).isEqualTo("running"));
        assertThat(containers).extracting(c -> c.getLabels().get(Labels.ROLE))
                .containsExactlyInAnyOrder("control-plane", "worker", "worker");
        assertThat(TestDocker.networks(Map.of(Labels.CLUSTER, id))).singleElement()
                .satisfies(n -> assertThat(n.getName()).isEqualTo("dind-" + name));

        assertThat(api.get("/clusters/" + name).json().get("id").asString()).isEqualTo(id);
        Api.Response kubeconfig = api.get("/clusters/" + id + "/kubeconfig");
        assertThat(kubeconfig.status()).isEqualTo(409);
        assertThat(kubeconfig.json().get("detail").asString()).contains("bootstrap none");

        Api.Response deleted = api.delete("/clusters/" + name);
        assertThat(deleted.status()).isEqualTo(202);
        api.awaitStatus(id, "DELETED", SETTLE);
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
        assertThat(api.get("/clusters/" + id).json().get("nodes")).isEmpty();

        Api.Response again = api.delete("/clusters/" + id);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("status").asString()).isEqualTo("DELETED");
    }

    @Test
    void aWorkerlessClusterHasOnlyAControlPlane() {
        String id = api.post("/clusters", """
                {"bootstrap":"none","workers":0}""").json().get("id").asString();

        JsonNode running = api.awaitStatus(id, "RUNNING", SETTLE);

        assertThat(running.get("name").asString()).matches("cluster-[a-z0-9]{6}");
        assertThat(running.get("nodes")).singleElement()
                .satisfies(n -> assertThat(n.get("role").asString()).isEqualTo("control-plane"));
        deleteAndAwait(id);
    }

    @Test
    void aMissingImageFailsTheClusterWithTheReasonAndLeaksNothing() {
        String id = api.post("/clusters", """
                {"bootstrap":"none","nodeImage":"%s"}""".formatted(TestImages.MISSING)).json().get("id").asString();

        JsonNode failed = api.awaitStatus(id, "FAILED", SETTLE);

        assertThat(failed.get("statusReason").asString())
                .contains("step create-nodes failed").contains("pulling " + TestImages.MISSING + " failed");
        assertThat(api.readStream("/clusters/" + id + "/events", SETTLE)).filteredOn(e -> "log".equals(e.event()))
                .extracting(e -> e.json().get("message").asString())
                .contains("node image " + TestImages.MISSING + " is not on the engine; pulling it");
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
        deleteAndAwait(id);
    }

    @Test
    void aStepFailingBesideOthersWaitsForThemAndTearsDownWhatTheyMade() {
        String id = api.post("/clusters", """
                {"bootstrap":"none","ipMode":"ipv6","nodeImage":"%s"}""".formatted(TestImages.MISSING))
                .json().get("id").asString();

        JsonNode failed = api.awaitStatus(id, "FAILED", SETTLE);

        assertThat(failed.get("statusReason").asString())
                .contains("step create-nodes failed").contains(TestImages.MISSING);
        // DNS64 and NAT64 started in the same stage: their containers existed, and are gone.
        List<Api.SseEvent> events = api.readStream("/clusters/" + id + "/events", SETTLE);
        assertThat(events).filteredOn(e -> "step-finished".equals(e.event()))
                .extracting(e -> e.json().get("step").asString()).contains("start-dns64", "start-nat64");
        assertThat(events).filteredOn(e -> "log".equals(e.event())).extracting(e -> e.json().get("message").asString())
                .anyMatch(m -> m.matches("removed [1-9][0-9]* containers?"));
        assertThat(failed.has("dns64")).isFalse();
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
        deleteAndAwait(id);
    }

    @Test
    void aRunningClusterWhoseContainersStopOrRestartSaysSo() {
        JsonNode running = api.awaitStatus(api.post("/clusters", """
                {"bootstrap":"none","workers":1}""").json().get("id").asString(), "RUNNING", SETTLE);
        String id = running.get("id").asString();
        String worker = running.get("name").asString() + "-worker";
        assertThat(running.has("containersProblem")).isFalse();

        TestDocker.client().pauseContainerCmd(worker).exec();
        JsonNode paused = await(id, c -> c.has("containersProblem"));
        assertThat(paused.get("status").asString()).isEqualTo("RUNNING");
        assertThat(paused.get("containersProblem").asString())
                .startsWith("1 of 2 containers not running: " + worker + " (paused)");
        TestDocker.client().unpauseContainerCmd(worker).exec();
        await(id, c -> !c.has("containersProblem"));

        // as a Docker daemon restart or a host reboot leaves it: stopped, then maybe started again by its policy,
        // without the routes provisioning set up inside it
        Awaitility.await().pollDelay(StoppedContainersWatcher.CLOCK_SKEW.plusSeconds(1)).until(() -> true);
        TestDocker.client().stopContainerCmd(worker).withTimeout(0).exec();
        JsonNode stopped = await(id, c -> c.has("containersProblem"));
        assertThat(stopped.get("containersProblem").asString())
                .startsWith("1 of 2 containers not running: " + worker + " (exited)");
        TestDocker.client().startContainerCmd(worker).exec();
        JsonNode restarted = await(id, c -> c.has("containersProblem")
                && c.get("containersProblem").asString().contains("restarted"));
        assertThat(restarted.get("containersProblem").asString())
                .startsWith("1 of 2 containers restarted since the cluster became RUNNING: " + worker + " (at ")
                .contains("routes between nodes").endsWith("delete the cluster and create another");

        List<String> messages = api.readStream("/clusters/" + id + "/events", SETTLE).stream()
                .filter(e -> "log".equals(e.event())).map(e -> e.json().get("message").asString()).toList();
        assertThat(messages).containsSubsequence(paused.get("containersProblem").asString(),
                "every container of the cluster runs again", stopped.get("containersProblem").asString(),
                restarted.get("containersProblem").asString());
        deleteAndAwait(id);
    }

    /** The cluster once it satisfies {@code done}, within the declared bound. */
    private JsonNode await(String id, java.util.function.Predicate<JsonNode> done) {
        JsonNode[] last = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> done.test(last[0] = api.get("/clusters/" + id).json()));
        return last[0];
    }

    @Test
    void kubeadmWhereNoHostAllowsPrivilegedNodesIsRefusedAtCreateLeavingNothing() {
        String label = "refusal-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response refused = api.post("/clusters", "{\"workers\":1,\"labels\":{\"test\":\"" + label + "\"}}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("title").asString()).isEqualTo("Kubernetes needs privileged nodes");
        assertThat(refused.json().get("detail").asString()).contains("bootstrap none")
                .contains("allows --privileged");
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("bootstrap");
        assertThat(refused.json().get("dockerHosts").get("local").asString()).contains("refuses --privileged");
        assertThat(api.get("/clusters?label=test=" + label).json().get("items")).isEmpty();
    }

    @Test
    void aLiveClusterHoldsItsNameUntilDeleted() {
        String name = uniqueName("taken");
        String first = api.post("/clusters", "{\"name\":\"" + name + "\",\"bootstrap\":\"none\",\"workers\":0}")
                .json().get("id").asString();

        Api.Response conflict = api.post("/clusters", "{\"name\":\"" + name + "\"}");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("detail").asString()).contains(first);

        api.awaitStatus(first, "RUNNING", SETTLE);
        deleteAndAwait(first);
        Api.Response reused = api.post("/clusters", "{\"name\":\"" + name + "\",\"bootstrap\":\"none\",\"workers\":0}");
        assertThat(reused.status()).isEqualTo(202);
        String second = reused.json().get("id").asString();
        assertThat(api.get("/clusters/" + name).json().get("id").asString()).isEqualTo(second);
        api.awaitStatus(second, "RUNNING", SETTLE);
        deleteAndAwait(second);
    }

    @Test
    void deletingWhileProvisioningEndsDeletedWithNothingLeft() {
        String id = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":3}").json().get("id").asString();

        assertThat(api.delete("/clusters/" + id).status()).isEqualTo(202);

        api.awaitStatus(id, "DELETED", SETTLE);
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
    }

    @Test
    void listsNewestFirstWithFiltersAndCursorPages() {
        String suite = "list-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(api.post("/clusters", """
                    {"bootstrap":"none","workers":0,"nodeImage":"%s","labels":{"suite":"%s"}}"""
                    .formatted(TestImages.MISSING, suite)).json().get("id").asString());
        }
        ids.forEach(id -> api.awaitStatus(id, "FAILED", SETTLE));

        Api.Response first = api.get("/clusters?limit=2&label=suite=" + suite);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("items")).extracting(n -> n.get("id").asString())
                .containsExactly(ids.get(2), ids.get(1));
        String next = first.json().get("links").get("next").asString();
        assertThat(first.header("Link")).isEqualTo("<" + next + ">; rel=\"next\"");

        Api.Response second = api.get(next);
        assertThat(second.json().get("items")).extracting(n -> n.get("id").asString()).containsExactly(ids.get(0));
        assertThat(second.json().has("nextCursor")).isFalse();
        assertThat(second.header("Link")).isNull();

        assertThat(api.get("/clusters?status=RUNNING&label=suite=" + suite).json().get("items")).isEmpty();
        assertThat(api.get("/clusters?status=failed&label=suite=" + suite).json().get("items")).hasSize(3);
        assertThat(api.get("/clusters?label=suite=" + suite + "&label=other=x").json().get("items")).isEmpty();
        ids.forEach(this::deleteAndAwait);
    }

    @Test
    void provisionsManyClustersAtOnceButNeverMoreThanTheConfiguredNumberInFlight(
            @org.springframework.beans.factory.annotation.Value("${dind.provisioning.max-concurrent-clusters}") int bound) {
        int count = bound + 2;
        List<HoldStep.Hold> holds = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> new HoldStep.Hold(HoldStep.AFTER_NODES)).toList();
        List<String> ids = holds.parallelStream()
                .map(hold -> api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":1," + hold.labelsJson() + "}")
                        .json().get("id").asString())
                .toList();
        try {
            // Each provisioning is held once its nodes exist: exactly the bound gets that far at once...
            Awaitility.await("the bound held at once").atMost(SETTLE).pollInterval(Duration.ofMillis(100))
                    .until(() -> holds.stream().filter(HoldStep.Hold::isHeld).count() == bound);
            // ...and the others wait their turn, not started, while those are held.
            for (int i = 0; i < count; i++) {
                if (!holds.get(i).isHeld()) {
                    assertThat(api.status(ids.get(i))).isEqualTo("PENDING");
                }
            }
            assertThat(holds.stream().filter(HoldStep.Hold::isHeld).count()).isEqualTo(bound);
        } finally {
            holds.forEach(HoldStep.Hold::close);
        }
        ids.forEach(id -> api.awaitStatus(id, "RUNNING", SETTLE));

        // From the persisted status events: when each cluster entered PROVISIONING (+1) and left it (-1).
        record Change(Instant at, int delta) {
        }
        List<Change> changes = new ArrayList<>();
        for (String id : ids) {
            for (Api.SseEvent e : api.readStream("/clusters/" + id + "/events", SETTLE)) {
                String status = "status".equals(e.event()) ? e.json().get("status").asString() : "";
                Instant at = e.event() == null ? null : Instant.parse(e.json().get("time").asString());
                if (status.equals("PROVISIONING")) {
                    changes.add(new Change(at, 1));
                } else if (status.equals("RUNNING")) {
                    changes.add(new Change(at, -1));
                }
            }
        }
        changes.sort(java.util.Comparator.comparing(Change::at).thenComparingInt(Change::delta));
        int inFlight = 0;
        int most = 0;
        for (Change change : changes) {
            inFlight += change.delta();
            most = Math.max(most, inFlight);
        }
        assertThat(changes).hasSize(2 * count);
        assertThat(most).isEqualTo(bound);
        ids.forEach(this::deleteAndAwait);
    }

    @Autowired
    ClusterRepository repository;
    @Autowired
    ClusterLifecycle lifecycle;

    @Test
    void anAttemptHandedBackCostsNothingAndLostOnesFailTheClusterOnceMaxAttemptsAreLost() {
        String id = UUID.randomUUID().toString();
        var now = ClusterLifecycle.now();
        var spec = new ClusterSpec(uniqueName("attempts"), null, 0, null, Bootstrap.none, null, Map.of(), "PT1H", null, null, null);
        repository.insert(new ClusterRow(id, spec.name(), "local", "local", spec, ClusterStatus.PENDING, null,
                List.of(), List.of(), null, null, false, 0, now, now, null, null, null, 0, List.of()));
        // held by a replica that is not there, so this service's own claimer leaves the row to the test
        assertThat(lifecycle.claim(id, "elsewhere", Duration.ofHours(1))).isTrue();

        assertThat(lifecycle.startAttempt(id)).isEqualTo(1);
        assertThat(lifecycle.startAttempt(id)).as("not PENDING any more").isZero();
        assertThat(lifecycle.retry(id, "drained", false, 1)).contains(ClusterStatus.PENDING);
        assertThat(lifecycle.startAttempt(id)).isEqualTo(2);
        assertThat(lifecycle.retry(id, "replica x died", true, 2)).contains(ClusterStatus.PENDING);
        assertThat(lifecycle.startAttempt(id)).isEqualTo(3);
        assertThat(lifecycle.retry(id, "replica y died", true, 2)).contains(ClusterStatus.FAILED);
        assertThat(lifecycle.retry(id, "too late", true, 2)).as("only from PROVISIONING").isEmpty();

        JsonNode failed = api.get("/clusters/" + id).json();
        assertThat(failed.get("provisioningAttempts").asInt()).isEqualTo(3);
        assertThat(failed.get("statusReason").asString()).isEqualTo("provisioning was lost 2 times "
                + "(dind.provisioning.max-attempts is 2): attempt 2: replica x died; attempt 3: replica y died");
        List<JsonNode> statuses = api.readStream("/clusters/" + id + "/events", SETTLE).stream()
                .filter(e -> "status".equals(e.event())).map(Api.SseEvent::json).toList();
        assertThat(statuses).extracting(e -> e.get("status").asString() + "@" + (e.has("attempt") ? e.get("attempt").asInt() : 0))
                .containsExactly("PROVISIONING@1", "PENDING@1", "PROVISIONING@2", "PENDING@2", "PROVISIONING@3", "FAILED@3");
        assertThat(statuses.get(1).get("message").asString())
                .isEqualTo("status PENDING: attempt 1 was handed back: drained; it is provisioned again, which costs no attempt");
        assertThat(statuses.get(3).get("message").asString())
                .isEqualTo("status PENDING: attempt 2 was lost: replica x died; it is provisioned again (1 of 2 attempts lost)");
        lifecycle.releaseClaim(id, "elsewhere");
    }

    @Test
    void unknownClustersAre404Problems() {
        for (Api.Response response : List.of(api.get("/clusters/no-such-cluster"),
                api.delete("/clusters/no-such-cluster"), api.get("/clusters/" + UUID.randomUUID() + "/events"),
                api.get("/clusters/no-such-cluster/kubeconfig"))) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("title").asString()).isEqualTo("Cluster not found");
        }
    }

    private void deleteAndAwait(String id) {
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
    }
}
