package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.Api.SseEvent;
import io.dindclusters.support.Prometheus;
import io.dindclusters.support.ServiceTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A stream open for dind.events.max-stream-duration ends by telling its client to reconnect, as a replica shutting
 * down does: an EventSource resumes with Last-Event-ID on the next stream, instead of seeing it simply end.
 */
@ServiceTest
@TestPropertySource(properties = "dind.events.max-stream-duration=2s")
class EventStreamDurationTest {

    @LocalServerPort
    int port;
    @Autowired
    ClusterRepository repository;
    @Autowired
    TransactionTemplate transaction;

    @Test
    void aStreamOpenForTheLongestItMayBeEndsWithAReconnect() {
        String id = IdleCluster.insert(repository, transaction, "duration");
        Api api = new Api(port);
        List<SseEvent> got = api.readStream("/clusters/" + id + "/events", Duration.ofSeconds(15));

        assertThat(got).as("heartbeats while it was open").anyMatch(e -> "heartbeat".equals(e.comment()));
        List<SseEvent> farewell = got.subList(got.size() - 2, got.size());
        assertThat(farewell).as("its last words").extracting(SseEvent::comment).containsExactly(
                "this stream has been open for dind.events.max-stream-duration: reconnect with Last-Event-ID to resume",
                null);
        assertThat(farewell).extracting(SseEvent::retry).containsExactly(null, 1000L);
        assertThat(Prometheus.sample(api.get("/actuator/prometheus").body(), "dind_event_stream_cutoffs_total",
                "reason", "duration")).isEqualTo(1.0);
    }
}
