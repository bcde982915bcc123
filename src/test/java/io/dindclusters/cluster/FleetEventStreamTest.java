package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.Api.SseEvent;
import io.dindclusters.support.ServiceTest;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * GET /events: every cluster's events in one stream, each naming its cluster, in one order that keeps each
 * cluster's own, resumable with Last-Event-ID, and open past every cluster's end.
 */
@ServiceTest
class FleetEventStreamTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    @LocalServerPort
    int port;

    private static List<SseEvent> ofCluster(List<SseEvent> fleet, String id) {
        return fleet.stream().filter(e -> e.id() != null && id.equals(e.json().get("cluster").asString())).toList();
    }

    /** What a cluster's own stream and the fleet stream both say about an event (ids differ: fleet numbers). */
    private static String content(SseEvent e) {
        JsonNode json = e.json();
        return e.event() + "|" + json.path("status").asString("") + "|" + json.path("step").asString("") + "|"
                + json.get("message").asString();
    }

    @Test
    void followsEveryClusterInOneOrderAndResumesAfterLastEventId() {
        Api api = new Api(port);
        try (Api.Stream fleet = api.openStream("/events")) {
            String first = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}").json().get("id").asString();
            String second = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":1}").json().get("id").asString();
            for (String id : List.of(first, second)) {
                api.awaitStatus(id, "RUNNING", SETTLE);
            }
            Awaitility.await("both RUNNING on the fleet stream").atMost(SETTLE).until(() -> List.of(first, second)
                    .stream().allMatch(id -> ofCluster(fleet.events(), id).stream()
                            .anyMatch(e -> "RUNNING".equals(e.json().path("status").asString()))));
            List<SseEvent> seen = fleet.events().stream().filter(e -> e.id() != null).toList();

            assertThat(seen).extracting(e -> Long.parseLong(e.id())).isSorted().doesNotHaveDuplicates();
            assertThat(seen).allSatisfy(e -> assertThat(Long.parseLong(e.id())).isEqualTo(e.json().get("id").asLong()));
            for (String id : List.of(first, second)) {
                List<SseEvent> own = api.readStream("/clusters/" + id + "/events", SETTLE).stream()
                        .filter(e -> e.id() != null).toList();
                List<SseEvent> onFleet = ofCluster(seen, id);
                assertThat(onFleet).extracting(FleetEventStreamTest::content)
                        .isEqualTo(own.stream().map(FleetEventStreamTest::content).toList());
                String name = api.get("/clusters/" + id).json().get("name").asString();
                assertThat(onFleet).allSatisfy(e -> assertThat(e.json().get("clusterName").asString()).isEqualTo(name));
            }

            // Resumed from the middle: exactly what followed, then live again (the deletion).
            SseEvent middle = seen.get(seen.size() / 2);
            try (Api.Stream resumed = api.openStream("/events", "Last-Event-ID", middle.id())) {
                api.delete("/clusters/" + first);
                api.awaitStatus(first, "DELETED", SETTLE);
                Awaitility.await("the deletion on the resumed stream").atMost(SETTLE).until(() ->
                        ofCluster(resumed.events(), first).stream()
                                .anyMatch(e -> "DELETED".equals(e.json().path("status").asString())));
                List<SseEvent> after = resumed.events().stream().filter(e -> e.id() != null).toList();
                assertThat(after.subList(0, seen.size() - seen.indexOf(middle) - 1))
                        .isEqualTo(seen.subList(seen.indexOf(middle) + 1, seen.size()));
            }
            assertThat(api.get("/events", "Last-Event-ID", "x").status()).isEqualTo(400);
            api.delete("/clusters/" + second);
            api.awaitStatus(second, "DELETED", SETTLE);
        }
    }
}
