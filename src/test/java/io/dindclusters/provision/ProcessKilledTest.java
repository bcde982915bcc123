package io.dindclusters.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.docker.Labels;
import io.dindclusters.support.Api;
import io.dindclusters.support.HoldStep;
import io.dindclusters.support.ServiceProcess;
import io.dindclusters.support.TestDocker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The service process killed with SIGKILL while clusters are provisioned and another deleted, and stopped with SIGTERM
 * while one more is provisioned: each next start provisions again what was cut off (a cluster that loses every
 * attempt ends FAILED with each attempt's reason), finishes the deletion, and leaves no Docker object without a
 * live owner.
 */
@org.junit.jupiter.api.Tag("docker")
class ProcessKilledTest {

    private static final Duration SETTLE = Duration.ofSeconds(120);

    @TempDir
    Path data;

    private static List<JsonNode> statusEvents(Api api, String id) {
        return api.readStream("/clusters/" + id + "/events", SETTLE).stream()
                .filter(e -> "status".equals(e.event())).map(Api.SseEvent::json).toList();
    }

    @Test
    void afterKillAndTerminateTheNextStartProvisionsAgainAndFailsOnlyWhenEveryAttemptIsLost() {
        String instance = io.dindclusters.support.TestRun.instance("killed-" + UUID.randomUUID());
        Path database = data.resolve("db");
        Path log = data.resolve("service.log");
        String again;
        String lostTwice;
        String deleting;
        try (var holdOnce = new HoldStep.Hold(HoldStep.AFTER_NODES);
             var holdAlways = new HoldStep.Hold(HoldStep.AFTER_NODES)) {
            try (var first = ServiceProcess.start(database, instance, log)) {
                Api api = first.api();
                deleting = api.post("/clusters?wait=60s", "{\"bootstrap\":\"none\",\"workers\":3}").json().get("id").asString();
                assertThat(api.status(deleting)).isEqualTo("RUNNING");
                again = api.post("/clusters", "{\"bootstrap\":\"none\",\"ipMode\":\"ipv6\",\"workers\":1,"
                        + holdOnce.labelsJson() + "}").json().get("id").asString();
                lostTwice = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0,"
                        + holdAlways.labelsJson() + "}").json().get("id").asString();
                holdOnce.awaitHeld(SETTLE);
                holdAlways.awaitHeld(SETTLE);
                api.delete("/clusters/" + deleting);
                first.kill();
            }
            assertThat(TestDocker.objectsOfCluster(again)).as("half-made, before the restart").isEqualTo(5);
            holdOnce.release();
            holdAlways.forget();

            try (var second = ServiceProcess.start(database, instance, log)) {
                Api api = second.api();
                // Torn down at the start and provisioned again, with what it had been given.
                JsonNode running = api.get("/clusters/" + again + "?wait=120s").json();
                assertThat(running.get("status").asString()).as(running.toString()).isEqualTo("RUNNING");
                assertThat(running.get("provisioningAttempts").asInt()).isEqualTo(2);
                assertThat(TestDocker.objectsOfCluster(again)).as("one set: network, two nodes, DNS64, NAT64").isEqualTo(5);
                List<JsonNode> statuses = statusEvents(api, again);
                assertThat(statuses).extracting(e -> e.get("status").asString())
                        .containsExactly("PENDING", "PROVISIONING", "PENDING", "PROVISIONING", "RUNNING");
                assertThat(statuses).extracting(e -> e.has("attempt") ? e.get("attempt").asInt() : 0)
                        .containsExactly(0, 1, 1, 2, 2);
                assertThat(statuses.get(2).get("message").asString())
                        .contains("attempt 1 was lost: this replica (" + instance + ") stopped while provisioning it")
                        .contains("removed its containers and networks").contains("1 of 2 attempts lost");
                assertThat(api.get("/clusters/" + deleting + "?wait=60s").json().get("status").asString()).isEqualTo("DELETED");
                assertThat(TestDocker.objectsOfCluster(deleting)).isZero();

                assertThat(holdAlways.awaitHeld(SETTLE)).isEqualTo(lostTwice);
                assertThat(api.get("/clusters/" + lostTwice).json().get("provisioningAttempts").asInt()).isEqualTo(2);
                second.kill();
            }
        }

        String drained;
        try (var third = ServiceProcess.start(database, instance, log, "--dind.replica.drain-timeout=2s")) {
            Api api = third.api();
            JsonNode failed = api.get("/clusters/" + lostTwice + "?wait=60s").json();
            assertThat(failed.get("status").asString()).as(failed.toString()).isEqualTo("FAILED");
            assertThat(failed.get("provisioningAttempts").asInt()).isEqualTo(2);
            assertThat(failed.get("statusReason").asString()).contains("max-attempts is 2")
                    .contains("attempt 1: this replica").contains("attempt 2: this replica");
            assertThat(TestDocker.objectsOfCluster(lostTwice)).isZero();

            try (var hold = new HoldStep.Hold(HoldStep.AFTER_NODES)) {
                drained = api.post("/clusters", "{\"bootstrap\":\"none\",\"ipMode\":\"ipv6\",\"workers\":1,"
                        + hold.labelsJson() + "}").json().get("id").asString();
                hold.awaitHeld(SETTLE);
                assertThat(TestDocker.objectsOfCluster(drained)).as("network, two nodes, DNS64, NAT64").isEqualTo(5);
                // Held, it cannot finish within the drain timeout: the drain removes it and hands it back.
                third.terminate();
            }
        }
        assertThat(TestDocker.objectsOfCluster(drained)).as("removed by the drain").isZero();

        try (var fourth = ServiceProcess.start(database, instance, log)) {
            Api api = fourth.api();
            JsonNode running = api.get("/clusters/" + drained + "?wait=120s").json();
            assertThat(running.get("status").asString()).as(running.toString()).isEqualTo("RUNNING");
            assertThat(running.get("provisioningAttempts").asInt()).isEqualTo(2);
            assertThat(statusEvents(api, drained)).extracting(e -> e.get("message").asString())
                    .anySatisfy(m -> assertThat(m).contains("attempt 1 was handed back")
                            .contains("could not finish it within dind.replica.drain-timeout (PT2S)")
                            .contains("which costs no attempt"));
            for (String id : List.of(drained, again, lostTwice)) {
                api.delete("/clusters/" + id);
                assertThat(api.get("/clusters/" + id + "?wait=60s").json().get("status").asString()).isEqualTo("DELETED");
            }
            fourth.terminate();
        }
        assertThat(TestDocker.containers(Map.of(Labels.INSTANCE, instance))).isEmpty();
        assertThat(TestDocker.networks(Map.of(Labels.INSTANCE, instance))).isEmpty();
    }
}
