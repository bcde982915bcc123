package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.Prometheus;
import io.dindclusters.support.ServiceTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * dind.events.max-streams is a limit, not a queue: with that many streams open, one more (a cluster's or the
 * fleet's) is refused at once with a 503 problem and Retry-After, holding no request thread, and opens again once a
 * stream has ended. A stream that waited for a slot instead held one of Tomcat's few request threads, and a few dozen
 * such waiters stopped every request to the replica (measured by hand: a GET timed out).
 */
@ServiceTest
@TestPropertySource(properties = {"dind.events.max-streams=2", "server.tomcat.threads.max=4"})
class EventStreamLimitTest {

    @LocalServerPort
    int port;
    @Autowired
    ClusterRepository repository;
    @Autowired
    TransactionTemplate transaction;

    @Test
    void aStreamBeyondTheLimitIsRefusedAtOnceAndTheReplicaKeepsAnswering() {
        String id = IdleCluster.insert(repository, transaction, "limit");
        Api api = new Api(port);
        try (Api.Stream first = api.openStream("/clusters/" + id + "/events");
             Api.Stream fleet = api.openStream("/events")) {
            awaitOpenStreams(api, 2);

            // more refusals than request threads: were they waiting for a slot, the GET after them could not answer
            for (int i = 0; i < 6; i++) {
                Api.Response refused = i % 2 == 0
                        ? api.get("/clusters/" + id + "/events", "Accept", "text/event-stream")
                        : api.get("/events");
                assertThat(refused.status()).as("stream %d beyond the limit", i).isEqualTo(503);
                assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
                assertThat(refused.header("Retry-After")).isEqualTo("5");
                assertThat(refused.json().get("title").asString()).isEqualTo("Too many event streams");
                assertThat(refused.json().get("maxStreams").asInt()).isEqualTo(2);
            }
            assertThat(api.get("/clusters/" + id).status()).isEqualTo(200);
            String metrics = api.get("/actuator/prometheus").body();
            assertThat(Prometheus.sample(metrics, "dind_event_streams_refused_total")).isEqualTo(6.0);
            assertThat(Prometheus.sample(metrics, "dind_event_streams")).as("the refused left nothing open")
                    .isEqualTo(2.0);

            first.close();
            awaitOpenStreams(api, 1);
            try (Api.Stream again = api.openStream("/clusters/" + id + "/events")) {
                Awaitility.await("the new stream's heartbeat").atMost(Duration.ofSeconds(10))
                        .until(() -> again.events().stream().anyMatch(e -> "heartbeat".equals(e.comment())));
                awaitOpenStreams(api, 2);
            }
        }
    }

    /** Waits until the replica's dind_event_streams gauge reads {@code open}. */
    static void awaitOpenStreams(Api api, int open) {
        Awaitility.await(open + " streams open").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> Prometheus.sample(api.get("/actuator/prometheus").body(), "dind_event_streams") == open);
    }
}
