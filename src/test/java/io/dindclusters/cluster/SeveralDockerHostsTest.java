package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.dindclusters.docker.Labels;
import io.dindclusters.support.Api;
import io.dindclusters.support.NestedDockerHost;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImages;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Two Docker hosts: this machine's engine ("first", room for one cluster) and a second engine running in a container
 * of the first, reached over TCP with TLS ("second", room for two). Clusters go where there is room, each host
 * allocates its own subnets, and a host that goes away is reported on its clusters rather than forgotten.
 */
@org.junit.jupiter.api.Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dind.docker.instance=test-${dind.test.run}-severaldockerhosts",
        "dind.network.pools.ipv4-nodes=${dind.test.other-ipv4-nodes}",
        "dind.docker.connect-timeout=2s",
        "dind.docker.response-timeout=20s",
        "dind.docker.host-check-interval=300ms",
        "dind.replica.claim-interval=300ms"})
class SeveralDockerHostsTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static NestedDockerHost second;

    @LocalServerPort
    int port;

    @Autowired
    ClusterRepository repository;

    @Autowired
    ClusterService service;

    @Autowired
    io.dindclusters.events.EventLog events;

    @DynamicPropertySource
    static void secondHost(DynamicPropertyRegistry registry) {
        second = NestedDockerHost.start(io.dindclusters.support.TestRun.name("second-host"));
        // A list binds from one property source only: every element's every property is here.
        registry.add("dind.docker.hosts[0].name", () -> "first");
        registry.add("dind.docker.hosts[0].url", () -> "unix:///var/run/docker.sock");
        registry.add("dind.docker.hosts[0].max-clusters", () -> 1);
        registry.add("dind.docker.hosts[1].name", () -> "second");
        registry.add("dind.docker.hosts[1].max-clusters", () -> 2);
        registry.add("dind.docker.hosts[1].api-server-address", () -> "0.0.0.0");
        registry.add("dind.docker.hosts[1].url", second::url);
        registry.add("dind.docker.hosts[1].cert-path", second::certPath);
        registry.add("dind.docker.hosts[1].kubeconfig-host", second::address);
    }

    @AfterAll
    static void stopSecondHost() throws Exception {
        if (second != null) {
            second.close();
        }
    }

    @AfterEach
    void deleteEveryCluster() {
        Api api = new Api(port);
        second.reconnect();
        awaitReachable(api, "second");
        for (JsonNode cluster : api.get("/clusters?status=PENDING,PROVISIONING,RUNNING,FAILED").json().get("items")) {
            if (cluster.get("dockerHost").asString().equals("removed")) {
                continue; // nothing of it exists, and nothing can remove it
            }
            String id = cluster.get("id").asString();
            api.delete("/clusters/" + id);
            api.awaitStatus(id, "DELETED", SETTLE);
        }
    }

    @Test
    void placesClustersWhereThereIsRoomAndAllocatesSubnetsPerHost() {
        Api api = new Api(port);

        JsonNode a = createAndWait(api, "hosts-a");
        JsonNode b = createAndWait(api, "hosts-b");
        JsonNode c = createAndWait(api, "hosts-c");
        Api.Response refused = api.post("/clusters", "{\"name\":\"" + named("hosts-d") + "\",\"bootstrap\":\"none\",\"workers\":0}");

        // Both empty: the configured order decides; then the only host with room.
        assertThat(List.of(a, b, c)).extracting(n -> n.get("dockerHost").asString())
                .containsExactly("first", "second", "second");
        // Subnets are free per host: the second host's first cluster gets the same block as the first host's.
        assertThat(List.of(a, b, c)).extracting(n -> n.get("spec").get("network").get("subnet").asString())
                .containsExactly(block(0), block(0), block(1));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("30");
        assertThat(refused.json().get("title").asString()).isEqualTo("No Docker host available");
        assertThat(refused.json().get("dockerHosts").get("first").asString()).contains("its max-clusters is 1");
        assertThat(refused.json().get("dockerHosts").get("second").asString()).contains("its max-clusters is 2");
        // the other test's cluster on a removed host may still be listed: count this test's
        assertThat(api.get("/clusters").json().get("items")).filteredOn(n -> n.get("name").asString().startsWith("hosts-"))
                .hasSize(3);

        // The containers are where the clusters say, running at the addresses they were given.
        assertThat(containersOf(TestDocker.client(), a)).hasSize(1);
        assertThat(containersOf(second.client(), a)).isEmpty();
        for (JsonNode onSecond : List.of(b, c)) {
            assertThat(containersOf(TestDocker.client(), onSecond)).isEmpty();
            List<Container> nodes = containersOf(second.client(), onSecond);
            assertThat(nodes).hasSize(1);
            assertThat(nodes.get(0).getState()).isEqualTo("running");
            assertThat(nodes.get(0).getNetworkSettings().getNetworks().values().iterator().next().getIpAddress())
                    .isEqualTo(onSecond.get("nodes").get(0).get("ipv4").asString());
        }

        JsonNode hosts = api.get("/docker-hosts").json();
        assertThat(hosts).hasSize(2);
        assertThat(hosts.get(0).get("name").asString()).isEqualTo("first");
        assertThat(hosts.get(0).get("clusters").asInt()).isEqualTo(1);
        assertThat(hosts.get(1).get("clusters").asInt()).isEqualTo(2);
        assertThat(hosts.get(1).get("nodes").asInt()).isEqualTo(2);
        assertThat(hosts.get(1).get("reachable").asBoolean()).isTrue();

        for (JsonNode cluster : List.of(a, b, c)) {
            String id = cluster.get("id").asString();
            api.delete("/clusters/" + id);
            api.awaitStatus(id, "DELETED", SETTLE);
            assertThat(containersOf(TestDocker.client(), cluster)).isEmpty();
            assertThat(containersOf(second.client(), cluster)).isEmpty();
        }
        assertThat(second.client().listNetworksCmd().withFilter("label", List.of(Labels.INSTANCE)).exec()).isEmpty();
    }

    @Test
    void reportsTheClustersOfAHostThatWentAwayAndDeletesThemOnceItIsBack() {
        Api api = new Api(port);
        JsonNode onFirst = createAndWait(api, "away-a");
        JsonNode onSecond = createAndWait(api, "away-b");
        JsonNode leaky = createAndWait(api, "away-c");
        String id = onSecond.get("id").asString();
        assertThat(onSecond.get("dockerHost").asString()).isEqualTo("second");
        assertThat(onSecond.has("dockerHostProblem")).isFalse();

        second.disconnect();

        JsonNode reported = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/clusters/" + id).json(), n -> n.has("dockerHostProblem"));
        assertThat(reported.get("status").asString()).isEqualTo("RUNNING");
        assertThat(reported.get("dockerHostProblem").asString()).startsWith("Docker host second has not answered since");
        assertThat(api.get("/docker-hosts").json().get(1).get("reachable").asBoolean()).isFalse();
        Api.Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().get("components").get("docker").get("components").get("first").get("status")
                .asString()).isEqualTo("UP");
        assertThat(health.json().get("components").get("docker").get("components").get("second").get("status")
                .asString()).isEqualTo("DOWN");

        // The first host is full and the second unreachable: nothing can be placed, and the answer says why.
        Api.Response refused = api.post("/clusters", "{\"name\":\"" + named("away-d") + "\",\"bootstrap\":\"none\",\"workers\":0}");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("10");
        assertThat(refused.json().get("dockerHosts").get("second").asString()).startsWith("cannot be reached since");

        // A deletion cannot reach the host: the cluster stays DELETING, saying why, and is not lost.
        api.delete("/clusters/" + id);
        Awaitility.await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).until(() -> events.after(id, 0, 1000)
                .stream().anyMatch(e -> e.message().contains("the deletion finishes once it answers again")));
        JsonNode waiting = api.get("/clusters/" + id).json();
        assertThat(waiting.get("status").asString()).isEqualTo("DELETING");
        assertThat(waiting.has("dockerHostProblem")).isTrue();
        // A cluster whose provisioning failed while the host was away, its clean-up unable to reach it.
        ClusterRow failedThere = repository.findById(leaky.get("id").asString()).orElseThrow();
        assertThat(repository.updateStatus(failedThere, ClusterStatus.FAILED, "cleaning up failed", Instant.now()))
                .isTrue();

        second.reconnect();
        awaitReachable(api, "second");
        // The waiting deletion finishes by itself, and what the failed cluster left there is removed.
        api.awaitStatus(id, "DELETED", SETTLE);
        assertThat(containersOf(second.client(), onSecond)).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                containersOf(second.client(), leaky).isEmpty() && second.client().listNetworksCmd()
                        .withFilter("label", List.of(Labels.CLUSTER + "=" + leaky.get("id").asString())).exec()
                        .isEmpty());
        assertThat(onFirst.get("dockerHost").asString()).isEqualTo("first");
    }

    @Test
    void aClusterOnAHostNoLongerConfiguredIsReportedAndNotLost() {
        Api api = new Api(port);
        ClusterSpec spec = new ClusterSpec("on-removed-host", null, 0, null, Bootstrap.none, null, Map.of(), "PT1H", null, null, null);
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        repository.insert(new ClusterRow(id, spec.name(), "local", "removed", spec, ClusterStatus.RUNNING, null,
                List.of(), List.of(), null, null, false, 0, now, now, now.plus(Duration.ofHours(1)), null, null, 0, java.util.List.of()));

        Api.Response got = api.get("/clusters/" + id);
        assertThat(got.status()).as(got.body()).isEqualTo(200);
        JsonNode cluster = got.json();
        assertThat(cluster.get("dockerHost").asString()).isEqualTo("removed");
        assertThat(cluster.get("dockerHostProblem").asString()).contains("Docker host removed is not configured");

        api.delete("/clusters/" + id);
        JsonNode failed = api.awaitStatus(id, "FAILED", SETTLE);
        assertThat(failed.get("statusReason").asString()).contains("Docker host removed is not configured");
        assertThat(api.get("/clusters/" + id).status()).isEqualTo(200);

        // Expired, it is left alone by the sweep: its teardown could only fail again.
        repository.updateExpiry(id, now.minus(Duration.ofMinutes(1)), now);
        assertThat(repository.expired(Instant.now())).extracting(ClusterRow::id).contains(id);
        String updated = api.get("/clusters/" + id).json().get("updatedAt").asString();
        assertThat(service.deleteExpired()).isLessThanOrEqualTo(0); // -1: the scheduled sweep held the lock
        assertThat(api.get("/clusters/" + id).json().get("updatedAt").asString()).isEqualTo(updated);
        assertThat(api.status(id)).isEqualTo("FAILED");
    }

    /** The {@code n}th /24 of this run's pool (TestRun: 10.249.0.0/18 shifted by the run's slot). */
    private static String block(int n) {
        return "10.249." + (64 * io.dindclusters.support.TestRun.SLOT + n) + ".0/24";
    }

    /** {@code name} with this run's id: cluster names become Docker object names on an engine other runs share. */
    private static String named(String name) {
        return name + "-" + io.dindclusters.support.TestRun.ID;
    }

    private static JsonNode createAndWait(Api api, String name) {
        Api.Response created = api.post("/clusters?wait=90s",
                "{\"name\":\"" + named(name) + "\",\"bootstrap\":\"none\",\"workers\":0}");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(created.json().get("status").asString()).as(created.body()).isEqualTo("RUNNING");
        return created.json();
    }

    private static List<Container> containersOf(DockerClient engine, JsonNode cluster) {
        return engine.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.CLUSTER, cluster.get("id").asString())).exec();
    }

    private static void awaitReachable(Api api, String host) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode h : api.get("/docker-hosts").json()) {
                if (h.get("name").asString().equals(host)) {
                    return h.get("reachable").asBoolean();
                }
            }
            return false;
        });
    }
}
