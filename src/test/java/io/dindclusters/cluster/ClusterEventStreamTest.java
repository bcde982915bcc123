package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.Api.SseEvent;
import io.dindclusters.support.ServiceTest;
import io.dindclusters.support.SlowReturnFilter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** GET /clusters/{id}/events: live follow, replay after Last-Event-ID, heartbeats, and the end of the stream. */
@ServiceTest
class ClusterEventStreamTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    @LocalServerPort
    int port;
    @Autowired
    ClusterRepository repository;
    @Autowired
    ClusterLifecycle lifecycle;
    @Autowired
    org.springframework.transaction.support.TransactionTemplate transaction;
    @Autowired
    io.dindclusters.events.EventLog events;
    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void followsAClusterComingUpLiveAndEndsWhenItRuns() {
        String id = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":1}").json().get("id").asString();

        List<SseEvent> events = dataEvents(api.readStream("/clusters/" + id + "/events", SETTLE));

        assertThat(events).extracting(SseEvent::id).map(Long::parseLong)
                .isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        assertThat(events.get(0).id()).isEqualTo("1");
        assertThat(events).filteredOn(e -> e.event().equals("status")).extracting(e -> e.json().get("status").asString())
                .containsExactly("PENDING", "PROVISIONING", "RUNNING");
        assertThat(events).filteredOn(e -> e.event().startsWith("step-"))
                .extracting(e -> e.event() + " " + e.json().get("step").asString())
                .containsExactly("step-started create-network", "step-finished create-network",
                        "step-started create-nodes", "step-finished create-nodes");
        assertThat(events).filteredOn(e -> e.event().equals("step-finished"))
                .allSatisfy(e -> assertThat(e.json().get("durationMs").asLong()).isNotNegative());
        assertThat(events).filteredOn(e -> e.event().equals("log")).extracting(e -> e.json().get("message").asString())
                .anyMatch(m -> m.startsWith("node security: "))
                .anyMatch(m -> m.contains("-control-plane started"))
                .anyMatch(m -> m.contains("-worker route-pod-prefixes: routes to 1 other node's pod prefixes"));
        assertThat(events.get(events.size() - 1).json().get("status").asString()).isEqualTo("RUNNING");

        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
    }

    @Test
    void replaysOnlyWhatFollowsLastEventIdFromHeaderOrParameter() {
        String id = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}").json().get("id").asString();
        api.awaitStatus(id, "RUNNING", SETTLE);
        List<SseEvent> all = dataEvents(api.readStream("/clusters/" + id + "/events", SETTLE));
        assertThat(all.size()).isGreaterThan(4);

        List<SseEvent> afterHeader = dataEvents(api.readStream("/clusters/" + id + "/events", SETTLE,
                "Last-Event-ID", "3"));
        List<SseEvent> afterParam = dataEvents(api.readStream("/clusters/" + id + "/events?lastEventId=3", SETTLE));

        assertThat(afterHeader).isEqualTo(all.subList(3, all.size()));
        assertThat(afterParam).isEqualTo(afterHeader);
        String last = all.get(all.size() - 1).id();
        assertThat(dataEvents(api.readStream("/clusters/" + id + "/events", SETTLE, "Last-Event-ID", last))).isEmpty();

        Api.Response bad = api.get("/clusters/" + id + "/events", "Last-Event-ID", "seven");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("Last-Event-ID");

        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
        List<SseEvent> deletion = dataEvents(api.readStream("/clusters/" + id + "/events", SETTLE,
                "Last-Event-ID", last));
        assertThat(deletion).filteredOn(e -> e.event().equals("status"))
                .extracting(e -> e.json().get("status").asString()).containsExactly("DELETING", "DELETED");
    }

    @Test
    void sendsHeartbeatsWhileIdleAndDeliversALiveChangeThenEnds() {
        // Idle until the test moves it.
        String id = IdleCluster.insert(repository, transaction, "idle");

        Api.Stream stream = api.openStream("/clusters/" + id + "/events");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> stream.events().stream().anyMatch(e -> "heartbeat".equals(e.comment())));
        assertThat(dataEvents(stream.events())).isEmpty();

        assertThat(lifecycle.move(id, ClusterStatus.PROVISIONING, ClusterStatus.FAILED, "moved by the test")).isTrue();

        List<SseEvent> events = dataEvents(stream.awaitEnd(Duration.ofSeconds(10)));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.event()).isEqualTo("status");
            assertThat(e.json().get("status").asString()).isEqualTo("FAILED");
            assertThat(e.json().get("message").asString()).contains("moved by the test");
        });
    }

    @Test
    void untilDeletedFollowsARunningClusterThroughItsDeletion() {
        String id = api.post("/clusters?wait=60s", "{\"bootstrap\":\"none\",\"workers\":0}").json().get("id").asString();
        assertThat(api.status(id)).isEqualTo("RUNNING");

        Api.Stream stream = api.openStream("/clusters/" + id + "/events?until=deleted");
        // Past RUNNING, it stays open: heartbeats after the history
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> stream.events().stream().anyMatch(e -> "heartbeat".equals(e.comment())));
        assertThat(dataEvents(stream.events())).filteredOn(e -> e.event().equals("status"))
                .extracting(e -> e.json().get("status").asString()).endsWith("RUNNING");
        api.delete("/clusters/" + id);
        assertThat(dataEvents(stream.awaitEnd(SETTLE))).filteredOn(e -> e.event().equals("status"))
                .extracting(e -> e.json().get("status").asString())
                .containsExactly("PENDING", "PROVISIONING", "RUNNING", "DELETING", "DELETED");

        // The default and running end at once on a settled cluster; a bad value names the parameter.
        assertThat(dataEvents(api.readStream("/clusters/" + id + "/events?until=running", SETTLE))).isNotEmpty();
        Api.Response bad = api.get("/clusters/" + id + "/events?until=forever");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("until");
    }

    @Test
    void aClientResumingAfterTheEndingStatusIsDoneAtOnce() {
        String id = api.post("/clusters?wait=60s", "{\"bootstrap\":\"none\",\"workers\":0}").json().get("id").asString();
        List<SseEvent> all = dataEvents(api.readStream("/clusters/" + id + "/events", SETTLE));
        // what an EventSource does when the server ends a stream: reconnect with the last id it saw
        assertThat(dataEvents(api.readStream("/clusters/" + id + "/events", Duration.ofSeconds(10), "Last-Event-ID",
                all.get(all.size() - 1).id()))).isEmpty();
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
    }

    @Test
    void writesNothingBeforeTheRequestThreadHasLeftEveryFilter() throws Exception {
        // A stream with history to send at once, and a filter that holds the request thread on its way out: the
        // stream's writer must not touch the response (its first write commits it) while a filter still may.
        String id = IdleCluster.insert(repository, transaction, "handoff");
        events.log(id, "test", "history");
        String token = java.util.UUID.randomUUID().toString();
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/clusters/" + id + "/events"))
                .header("Accept", "text/event-stream")
                .header(SlowReturnFilter.HEADER, "700").header(SlowReturnFilter.TOKEN, token)
                .timeout(Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            do {
                line = reader.readLine();
            } while (line != null && !line.startsWith("data:"));
            long firstEvent = System.nanoTime();
            assertThat(line).as("the history's event").contains("history");
            Long returned = SlowReturnFilter.returnedAt(token);
            assertThat(returned).as("the request thread had left the filters when the first event came").isNotNull();
            assertThat(firstEvent).isGreaterThan(returned);
        }
    }

    private static List<SseEvent> dataEvents(List<SseEvent> events) {
        return events.stream().filter(e -> Objects.nonNull(e.id())).toList();
    }
}
