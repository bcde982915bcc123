package io.dindclusters.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.ServiceTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A pool's clusters count against the service's quotas, not against any owner's until one claims them; a claim
 * counts against the claiming owner's quotas, and is refused (429) like a create when it would exceed them.
 */
@ServiceTest
@DirtiesContext // its pool would go on refilling under later tests
@TestPropertySource(properties = {
        "dind.security.tokens[0].owner=team-a",
        "dind.security.tokens[0].sha256=a70bf50e531ce1a817561f2f5d5b6645d4e806becf58ccc5e8cf6b8045a090a8",
        "dind.quotas.max-clusters-per-owner=1",
        "dind.quotas.max-clusters=3",
        "dind.pool-refill.interval=200ms",
        // the full quota the refill meets here on purpose, and says so once
        "logging.level.io.dindclusters.pool.PoolRefiller=ERROR",
        "dind.pool-refill.concurrency=3",
        "dind.pools[0].name=quota",
        "dind.pools[0].size=3",
        "dind.pools[0].spec.bootstrap=none",
        "dind.pools[0].spec.workers=0"})
class PoolQuotasTest {

    private static final String[] TEAM_A = {"Authorization", "Bearer token-a"};
    private static final String MATCHING = "{\"bootstrap\":\"none\",\"workers\":0}";

    @LocalServerPort
    int port;

    @Test
    void poolClustersCountForTheServiceAndAClaimForItsOwner() {
        Api api = new Api(port);
        // three pool clusters fill max-clusters, although no owner may have more than one
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/pools", TEAM_A).json().get(0).get("ready").asInt() == 3);

        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !api.get("/pools", TEAM_A).json().get(0).has("blockedBy"));
        Api.Response otherKind = api.postWithHeaders("/clusters", "{\"bootstrap\":\"none\",\"workers\":1}", TEAM_A);
        assertThat(otherKind.status()).as(otherKind.body()).isEqualTo(429);
        assertThat(otherKind.json().get("limit").asString()).isEqualTo("dind.quotas.max-clusters");

        Api.Response claimed = api.postWithHeaders("/clusters", MATCHING, TEAM_A);
        assertThat(claimed.status()).as(claimed.body()).isEqualTo(202);
        assertThat(claimed.json().get("pooled").asBoolean()).isTrue();

        Api.Response second = api.postWithHeaders("/clusters", MATCHING, TEAM_A);
        assertThat(second.status()).as(second.body()).isEqualTo(429);
        assertThat(second.json().get("limit").asString()).isEqualTo("dind.quotas.max-clusters-per-owner");
        JsonNode pool = api.get("/pools", TEAM_A).json().get(0);
        assertThat(pool.get("hits").asLong()).isEqualTo(1);
        assertThat(pool.get("ready").asInt()).as("the refused claim left the pool as it was").isEqualTo(2);
        // the pool would make a third again, but the service's quota is full: it says so
        assertThat(Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/pools", TEAM_A).json().get(0).path("blockedBy").asString(""),
                        blocked -> !blocked.isEmpty()))
                .contains("dind.quotas.max-clusters is 3");

        assertThat(api.deleteWithHeaders("/clusters/" + claimed.json().get("id").asString(), TEAM_A).status())
                .isEqualTo(202);
    }
}
