package io.dindclusters.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.Prometheus;
import io.dindclusters.support.ServiceTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Warm pools through the HTTP API, on the real engine: a matching create gets a ready cluster at once under its own
 * name, owner, labels and ttl, and the pool refills; a create that does not match, or finds the pool empty, is made
 * on demand; a request may name a pool; idle clusters past max-idle-age are replaced; GET /pools and Prometheus
 * count it all.
 */
@ServiceTest
@DirtiesContext // its pools would go on refilling under later tests
@TestPropertySource(properties = {
        "dind.security.tokens[0].owner=team-a",
        "dind.security.tokens[0].sha256=a70bf50e531ce1a817561f2f5d5b6645d4e806becf58ccc5e8cf6b8045a090a8",
        "dind.security.tokens[1].owner=ops",
        "dind.security.tokens[1].sha256=00f5f9625c49504b0776853a9cd04aa7a75f26b4760fc7fd555437b111b54390",
        "dind.security.tokens[1].admin=true",
        "dind.quotas.max-clusters-per-owner=10",
        "dind.pool-refill.interval=300ms",
        "dind.pools[0].name=ipv6-small",
        "dind.pools[0].size=2",
        "dind.pools[0].spec.ipMode=ipv6",
        "dind.pools[0].spec.workers=0",
        "dind.pools[0].spec.bootstrap=none",
        "dind.pools[1].name=never-ready",
        "dind.pools[1].size=0",
        "dind.pools[1].spec.ip-mode=dual",
        "dind.pools[1].spec.workers=0",
        "dind.pools[1].spec.bootstrap=none",
        "dind.pools[2].name=short-lived",
        "dind.pools[2].size=1",
        "dind.pools[2].max-idle-age=5s",
        "dind.pools[2].spec.workers=1",
        "dind.pools[2].spec.bootstrap=none"})
class WarmPoolsTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final String[] TEAM_A = {"Authorization", "Bearer token-a"};
    private static final String[] ADMIN = {"Authorization", "Bearer token-admin"};
    private static final String IPV6_SMALL = "{\"ipMode\":\"ipv6\",\"workers\":0,\"bootstrap\":\"none\"";

    @LocalServerPort
    int port;

    private JsonNode pool(Api api, String name) {
        for (JsonNode pool : api.get("/pools", TEAM_A).json()) {
            if (pool.get("name").asString().equals(name)) {
                return pool;
            }
        }
        throw new AssertionError("GET /pools has no " + name);
    }

    private JsonNode awaitPool(Api api, String name, Predicate<JsonNode> condition) {
        return Awaitility.await().atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                .until(() -> pool(api, name), condition::test);
    }

    private static JsonNode awaitStatus(Api api, String id, String status) {
        return Awaitility.await().atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/clusters/" + id, ADMIN).json(), c -> c.get("status").asString().equals(status));
    }

    @Test
    void aMatchingCreateGetsAReadyClusterUnderItsOwnNameOwnerLabelsAndTtlAndThePoolRefills() {
        Api api = new Api(port);
        JsonNode before = awaitPool(api, "ipv6-small", p -> p.get("ready").asInt() == 2);
        assertThat(before.get("spec").get("ipMode").asString()).isEqualTo("ipv6");
        assertThat(before.get("spec").get("network").get("dns64Prefix").asString()).isEqualTo("fd00:64:ff9b::/96");
        assertThat(before.get("size").asInt()).isEqualTo(2);
        assertThat(before.get("maxIdleAge").asString()).isEqualTo("PT1H");
        // ready clusters belong to the pool: an owner does not see them, an admin does
        assertThat(api.get("/clusters", TEAM_A).json().get("items")).isEmpty();
        List<String> idle = new ArrayList<>();
        for (JsonNode c : api.get("/clusters?status=RUNNING", ADMIN).json().get("items")) {
            if ("ipv6-small".equals(c.path("pool").asString(null)) && !c.has("claimedAt")) {
                assertThat(c.get("owner").asString()).isEqualTo("pool:ipv6-small");
                idle.add(c.get("id").asString());
            }
        }
        assertThat(idle).hasSize(2);

        // a name of this run alone: made on demand, should the pool fail, its network would be named after it
        String name = "mine-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Instant asked = Instant.now();
        Api.Response got = api.postWithHeaders("/clusters?wait=60s", IPV6_SMALL + ",\"name\":\"" + name + "\","
                + "\"labels\":{\"ci-job\":\"77\"},\"ttl\":\"PT30M\"}", TEAM_A[0], TEAM_A[1], "Idempotency-Key", "job-77");
        assertThat(got.status()).as(got.body()).isEqualTo(202);
        JsonNode mine = got.json();
        assertThat(mine.get("pooled").asBoolean()).isTrue();
        assertThat(mine.get("pool").asString()).isEqualTo("ipv6-small");
        assertThat(mine.get("status").asString()).isEqualTo("RUNNING");
        assertThat(idle).contains(mine.get("id").asString());
        assertThat(mine.get("name").asString()).isEqualTo(name);
        assertThat(mine.get("owner").asString()).isEqualTo("team-a");
        assertThat(mine.get("spec").get("name").asString()).isEqualTo(name);
        assertThat(mine.get("spec").get("pool").asString()).isEqualTo("ipv6-small");
        assertThat(mine.get("spec").get("labels").get("ci-job").asString()).isEqualTo("77");
        assertThat(mine.get("spec").get("ttl").asString()).isEqualTo("PT30M");
        Instant expires = Instant.parse(mine.get("expiresAt").asString());
        assertThat(expires).isBetween(asked.plus(Duration.ofMinutes(30)), Instant.now().plus(Duration.ofMinutes(30)));
        // the containers keep the names the pool gave them; the API knows the cluster by the caller's
        String prefix = mine.get("nodeNamePrefix").asString();
        assertThat(prefix).startsWith("ipv6-small-").isNotEqualTo(name);
        assertThat(mine.get("nodes").get(0).get("name").asString()).isEqualTo(prefix + "-control-plane");
        assertThat(mine.get("dns64").get("name").asString()).isEqualTo(prefix + "-dns64");
        assertThat(api.get("/clusters/" + name, TEAM_A).json().get("id").asString()).isEqualTo(mine.get("id").asString());
        assertThat(api.get("/clusters?label=ci-job=77", TEAM_A).json().get("items")).hasSize(1);
        assertThat(api.get("/clusters/" + prefix, TEAM_A).status()).isEqualTo(404);
        assertThat(api.readStream("/clusters/" + name + "/events?until=running", SETTLE, TEAM_A))
                .extracting(Api.SseEvent::data)
                .anyMatch(d -> d.contains("taken from warm pool ipv6-small by owner team-a as '" + name + "'"));
        // a retry with the same key is the same cluster, not a second claim
        Api.Response again = api.postWithHeaders("/clusters", IPV6_SMALL + ",\"name\":\"" + name + "\","
                + "\"labels\":{\"ci-job\":\"77\"},\"ttl\":\"PT30M\"}", TEAM_A[0], TEAM_A[1], "Idempotency-Key", "job-77");
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().get("id").asString()).isEqualTo(mine.get("id").asString());
        // another cluster cannot take the name the claimed one's containers carry
        Api.Response clash = api.postWithHeaders("/clusters", "{\"bootstrap\":\"none\",\"workers\":0,\"name\":\""
                + prefix + "\"}", TEAM_A);
        assertThat(clash.status()).as(clash.body()).isEqualTo(409);
        assertThat(clash.json().get("detail").asString()).contains(mine.get("id").asString());
        // nor may a claim take it as its API name
        Api.Response claimClash = api.postWithHeaders("/clusters", IPV6_SMALL + ",\"name\":\"" + prefix + "\"}",
                TEAM_A);
        assertThat(claimClash.status()).as(claimClash.body()).isEqualTo(409);

        JsonNode after = awaitPool(api, "ipv6-small", p -> p.get("ready").asInt() == 2);
        assertThat(after.get("hits").asLong()).isEqualTo(before.get("hits").asLong() + 1);
        assertThat(after.get("misses").asLong()).isEqualTo(before.get("misses").asLong());
        String metrics = api.get("/actuator/prometheus", ADMIN).body();
        assertThat(Prometheus.sample(metrics, "dind_pool_hits_total", "pool=\"ipv6-small\"")).isGreaterThanOrEqualTo(1);
        assertThat(Prometheus.sample(metrics, "dind_pool_size", "pool=\"ipv6-small\"")).isEqualTo(2);

        // deleted like any other cluster: every container of it goes
        assertThat(api.deleteWithHeaders("/clusters/" + name, TEAM_A).status()).isEqualTo(202);
        awaitStatus(api, mine.get("id").asString(), "DELETED");
    }

    @Test
    void aCreateThatDoesNotMatchOrFindsThePoolEmptyIsMadeOnDemandAndAPoolCanBeNamed() {
        Api api = new Api(port);
        awaitPool(api, "ipv6-small", p -> p.get("ready").asInt() == 2);
        long hits = pool(api, "ipv6-small").get("hits").asLong();
        List<String> made = new ArrayList<>();
        // another kind of cluster, or explicit networks: not the pool's
        for (String body : List.of(IPV6_SMALL.replace("\"workers\":0", "\"workers\":1") + "}",
                IPV6_SMALL.replace("ipv6", "ipv4") + "}",
                IPV6_SMALL + ",\"network\":{\"dns64Prefix\":\"fd00:64:ff9b::/96\"}}")) {
            Api.Response response = api.postWithHeaders("/clusters", body, TEAM_A);
            assertThat(response.status()).as(response.body()).isEqualTo(202);
            JsonNode c = response.json();
            assertThat(c.get("pooled").asBoolean()).as(body).isFalse();
            assertThat(c.has("pool")).as(body).isFalse();
            assertThat(c.get("nodeNamePrefix").asString()).isEqualTo(c.get("name").asString());
            made.add(c.get("id").asString());
        }
        assertThat(pool(api, "ipv6-small").get("hits").asLong()).isEqualTo(hits);
        for (String id : made) {
            awaitStatus(api, id, "RUNNING");
            api.deleteWithHeaders("/clusters/" + id, TEAM_A);
        }

        // an empty pool: the create is made on demand (a miss) with the pool's spec, filled in where left out
        long misses = pool(api, "never-ready").get("misses").asLong();
        Api.Response miss = api.postWithHeaders("/clusters", "{\"pool\":\"never-ready\",\"ttl\":\"PT20M\"}",
                TEAM_A);
        assertThat(miss.status()).as(miss.body()).isEqualTo(202);
        JsonNode missed = miss.json();
        assertThat(missed.get("pooled").asBoolean()).isFalse();
        assertThat(missed.get("status").asString()).isEqualTo("PENDING");
        assertThat(missed.get("spec").get("ipMode").asString()).isEqualTo("dual");
        assertThat(missed.get("spec").get("bootstrap").asString()).isEqualTo("none");
        assertThat(missed.get("spec").get("pool").asString()).isEqualTo("never-ready");
        assertThat(pool(api, "never-ready").get("misses").asLong()).isEqualTo(misses + 1);
        awaitStatus(api, missed.get("id").asString(), "RUNNING");
        api.deleteWithHeaders("/clusters/" + missed.get("id").asString(), TEAM_A);

        // naming a pool takes its ready cluster even when the request leaves everything out
        Api.Response taken = api.postWithHeaders("/clusters", "{\"pool\":\"ipv6-small\"}", TEAM_A);
        assertThat(taken.status()).as(taken.body()).isEqualTo(202);
        JsonNode named = taken.json();
        assertThat(named.get("pooled").asBoolean()).isTrue();
        assertThat(named.get("name").asString()).isEqualTo(named.get("nodeNamePrefix").asString());
        assertThat(named.get("spec").get("ttl").asString()).isEqualTo("PT8H");
        api.deleteWithHeaders("/clusters/" + named.get("id").asString(), TEAM_A);
    }

    @Test
    void aRequestNamingAPoolItDisagreesWithOrThatDoesNotExistIsRefusedAndLeavesNothingBehind() {
        Api api = new Api(port);
        int clusters = api.get("/clusters?limit=100", TEAM_A).json().get("items").size();
        Api.Response unknown = api.postWithHeaders("/clusters", "{\"pool\":\"no-such-pool\"}", TEAM_A);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asString()).isEqualTo("pool");
        assertThat(unknown.json().get("errors").get(0).get("message").asString())
                .contains("ipv6-small, never-ready, short-lived");
        Api.Response disagrees = api.postWithHeaders("/clusters",
                "{\"pool\":\"ipv6-small\",\"workers\":3,\"bootstrap\":\"none\"}", TEAM_A);
        assertThat(disagrees.status()).isEqualTo(400);
        assertThat(disagrees.json().get("errors").get(0).get("field").asString()).isEqualTo("workers");
        assertThat(disagrees.json().get("errors").get(0).get("message").asString())
                .isEqualTo("must be 0 as in pool 'ipv6-small' (or be left out), not 3");
        Api.Response withNetwork = api.postWithHeaders("/clusters",
                "{\"pool\":\"ipv6-small\",\"ipMode\":\"ipv6\",\"network\":{\"subnet\":\"fd00:77::/64\"}}",
                TEAM_A);
        assertThat(withNetwork.status()).isEqualTo(400);
        assertThat(withNetwork.json().get("errors").get(0).get("field").asString()).isEqualTo("network");
        Api.Response badName = api.postWithHeaders("/clusters", "{\"pool\":\"Not_A_Label\"}", TEAM_A);
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.json().get("errors").get(0).get("field").asString()).isEqualTo("pool");
        assertThat(api.get("/clusters?limit=100", TEAM_A).json().get("items").size()).isEqualTo(clusters);
    }

    @Test
    void aReadyClusterNobodyClaimsWithinMaxIdleAgeIsReplacedByAFreshOne() {
        Api api = new Api(port);
        String first = awaitIdle(api, "short-lived", null);
        String second = awaitIdle(api, "short-lived", first);
        assertThat(second).isNotEqualTo(first);
        awaitStatus(api, first, "DELETED");
        assertThat(api.readStream("/clusters/" + first + "/events", SETTLE, ADMIN)).extracting(Api.SseEvent::data)
                .anyMatch(d -> d.contains("nobody claimed it within max-idle-age PT5S of warm pool short-lived"));
    }

    /** The id of a RUNNING idle cluster of {@code pool} other than {@code not}. */
    private String awaitIdle(Api api, String pool, String not) {
        return Awaitility.await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode c : api.get("/clusters?status=RUNNING", ADMIN).json().get("items")) {
                if (pool.equals(c.path("pool").asString(null)) && !c.has("claimedAt")
                        && !c.get("id").asString().equals(not)) {
                    return c.get("id").asString();
                }
            }
            return null;
        }, java.util.Objects::nonNull);
    }
}
