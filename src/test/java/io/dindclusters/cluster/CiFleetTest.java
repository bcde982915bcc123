package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.HoldStep;
import io.dindclusters.support.ServiceTest;
import io.dindclusters.support.TestDocker;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** What CI jobs lean on: one call that waits, retries that are safe, and clusters that clean up after themselves. */
@ServiceTest
class CiFleetTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final String SMALL = "\"bootstrap\":\"none\",\"workers\":0";

    @LocalServerPort
    int port;
    @Autowired
    ClusterRepository repository;

    @Test
    void createAndWaitIsOneCall() {
        Api api = new Api(port);

        Api.Response created = api.post("/clusters?wait=60s", "{" + SMALL + "}");

        assertThat(created.status()).isEqualTo(202);
        assertThat(created.json().get("status").asString()).isEqualTo("RUNNING");
        String id = created.json().get("id").asString();
        assertThat(TestDocker.objectsOfCluster(id)).isPositive();
        Api.Response deleted = api.delete("/clusters/" + id);
        assertThat(deleted.status()).isEqualTo(202);
        assertThat(api.get("/clusters/" + id + "?wait=60s").json().get("status").asString()).isEqualTo("DELETED");
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
    }

    @Test
    void aWaitThatRunsOutAnswersWithTheClusterAsItIs() {
        Api api = new Api(port);
        try (var hold = new HoldStep.Hold(HoldStep.AFTER_NODES)) {
            String id = api.post("/clusters", "{" + SMALL + "," + hold.labelsJson() + "}").json().get("id").asString();
            hold.awaitHeld(SETTLE);

            // A server that ignored the wait would answer only after the hold: the client's bound (the wait plus
            // a margin) would cut the call off and fail the test.
            Api.Response early = api.get("/clusters/" + id + "?wait=1s");

            assertThat(early.status()).isEqualTo(200);
            assertThat(early.json().get("status").asString()).isEqualTo("PROVISIONING");
            hold.release();
            api.awaitStatus(id, "RUNNING", SETTLE);
            api.delete("/clusters/" + id);
            api.awaitStatus(id, "DELETED", SETTLE);
        }
    }

    @Test
    void refusesAWaitOutOfBounds() {
        Api api = new Api(port);
        for (String wait : new String[] {"0s", "31m", "soon", "-5", "PT2H"}) {
            Api.Response refused = api.get("/clusters/no-such-cluster?wait=" + wait);
            assertThat(refused.status()).as(wait).isEqualTo(400);
            assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("wait");
        }
    }

    @Test
    void retriesWithTheSameIdempotencyKeyGetTheSameClusterAndAnotherBodyIsRefused() {
        Api api = new Api(port);
        String key = "ci-run-" + UUID.randomUUID();
        // label values of this test alone: the context's other tests (and earlier repetitions) have their own
        String job = "idem-" + key.substring(7, 15);
        String otherJob = "other-" + key.substring(7, 15);
        String body = "{" + SMALL + ",\"labels\":{\"job\":\"" + job + "\"}}";

        Api.Response first = api.postWithHeaders("/clusters", body, "Idempotency-Key", key);
        // The same request, written differently: field order and spacing do not matter.
        Api.Response retry = api.postWithHeaders("/clusters", "{ \"labels\": {\"job\":\"" + job + "\"}, " + SMALL + " }",
                "Idempotency-Key", key);
        Api.Response other = api.postWithHeaders("/clusters", "{" + SMALL + ",\"labels\":{\"job\":\"" + otherJob + "\"}}",
                "Idempotency-Key", key);
        Api.Response badKey = api.postWithHeaders("/clusters", body, "Idempotency-Key", "has space");

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("title").asString()).isEqualTo("Idempotency-Key reused");
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(badKey.json().get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(api.get("/clusters?label=job=" + job).json().get("items")).hasSize(1);
        assertThat(api.get("/clusters?label=job=" + otherJob).json().get("items")).isEmpty();

        String id = first.json().get("id").asString();
        api.awaitStatus(id, "RUNNING", SETTLE);
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
    }

    @Test
    void aClusterGetsTheDefaultTimeToLiveAndCanBeExtended() {
        Api api = new Api(port);
        JsonNode created = api.post("/clusters", "{" + SMALL + "}").json();
        String id = created.get("id").asString();

        assertThat(created.get("spec").get("ttl").asString()).isEqualTo("PT8H");
        assertThat(Instant.parse(created.get("expiresAt").asString()))
                .isEqualTo(Instant.parse(created.get("createdAt").asString()).plus(Duration.ofHours(8)));

        Instant before = Instant.now();
        Api.Response extended = api.patch("/clusters/" + id, "{\"ttl\":\"PT30H\"}");
        assertThat(extended.status()).as(extended.body()).isEqualTo(200);
        Instant expiresAt = Instant.parse(extended.json().get("expiresAt").asString());
        assertThat(expiresAt).isBetween(before.plus(Duration.ofHours(30)), Instant.now().plus(Duration.ofHours(30)));

        Api.Response tooLong = api.patch("/clusters/" + id, "{\"ttl\":\"P4D\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("errors").get(0).get("field").asString()).isEqualTo("ttl");
        assertThat(api.patch("/clusters/" + id, "{\"ttl\":\"PT1H\",\"workers\":3}").status()).isEqualTo(400);

        api.awaitStatus(id, "RUNNING", SETTLE);
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
        assertThat(api.patch("/clusters/" + id, "{\"ttl\":\"PT1H\"}").status()).isEqualTo(409);
    }

    @Test
    void anExpiredClusterIsTornDownOnItsOwn() {
        Api api = new Api(port);
        String name = "expiring-" + UUID.randomUUID().toString().substring(0, 6);
        String id = api.post("/clusters", "{\"name\":\"" + name + "\"," + SMALL + ",\"ttl\":\"PT1M\"}")
                .json().get("id").asString();
        api.awaitStatus(id, "RUNNING", SETTLE);
        assertThat(TestDocker.objectsOfCluster(id)).isPositive();

        // Rather than wait a minute: move the expiry into the past, as time would.
        var now = ClusterLifecycle.now();
        repository.updateExpiry(id, now.minusSeconds(1), now);

        Awaitility.await().atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                .until(() -> api.status(id).equals("DELETED"));
        JsonNode deleted = api.get("/clusters/" + id).json();
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
        assertThat(api.readStream("/clusters/" + id + "/events", SETTLE)).filteredOn(e -> "status".equals(e.event()))
                .extracting(e -> e.json().get("message").asString())
                .anyMatch(m -> m.startsWith("status DELETING: time to live (expired at "));
        assertThat(deleted.get("name").asString()).isEqualTo(name);
    }
}
