package io.dindclusters.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.HoldStep;
import io.dindclusters.support.ServiceTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Pool work never makes a user's create wait for a provisioning slot: with two slots and a pool that would take
 * three, the pool makes one cluster at a time (held here in its provisioning), and a create that arrives meanwhile
 * is provisioned at once, beside it.
 */
@ServiceTest
@DirtiesContext // its pool would go on refilling under later tests
class PoolYieldsToCreatesTest {

    private static final String HOLD = "pool-yield-" + UUID.randomUUID();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void pool(DynamicPropertyRegistry registry) {
        registry.add("dind.provisioning.max-concurrent-clusters", () -> "2");
        registry.add("dind.pool-refill.interval", () -> "200ms");
        registry.add("dind.pool-refill.concurrency", () -> "3");
        registry.add("dind.pools[0].name", () -> "held");
        registry.add("dind.pools[0].size", () -> "3");
        registry.add("dind.pools[0].spec.bootstrap", () -> "none");
        registry.add("dind.pools[0].spec.workers", () -> "0");
        registry.add("dind.pools[0].spec.labels." + HoldStep.BEFORE_NODES, () -> HOLD);
    }

    @AfterEach
    void release() throws Exception {
        Path directory = Path.of(System.getProperty("java.io.tmpdir"), "dind-clusters-test-holds");
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(HOLD + ".release"), "");
    }

    @Test
    void aCreateIsProvisionedAtOnceWhileThePoolIsBeingMade() throws Exception {
        Api api = new Api(port);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/pools").json().get(0).get("beingMade").asInt() == 1);
        // several looks later the pool still makes only one: the other slot stays free
        Thread.sleep(1000);
        assertThat(api.get("/pools").json().get(0).get("beingMade").asInt()).isEqualTo(1);

        Api.Response created = api.post("/clusters?wait=60s", "{\"bootstrap\":\"none\",\"workers\":1}");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(created.json().get("status").asString()).isEqualTo("RUNNING");
        assertThat(created.json().get("pooled").asBoolean()).isFalse();
        assertThat(api.get("/pools").json().get(0).get("ready").asInt()).isZero();
        api.delete("/clusters/" + created.json().get("id").asString());
    }
}
