package io.dindclusters.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.docker.Labels;
import io.dindclusters.support.Api;
import io.dindclusters.support.HoldStep;
import io.dindclusters.support.ServiceProcess;
import io.dindclusters.support.TestDocker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The service process killed with SIGKILL while one cluster is being provisioned and another deleted, and stopped
 * with SIGTERM while a third is provisioned: each next start leaves every cluster in a truthful state and no Docker
 * object without a live owner.
 */
@org.junit.jupiter.api.Tag("docker")
class ProcessKilledTest {

    private static final Duration SETTLE = Duration.ofSeconds(120);

    @TempDir
    Path data;

    @Test
    void afterKillAndTerminateTheNextStartLeavesTruthfulStatesAndNoOrphans() {
        String instance = io.dindclusters.support.TestRun.instance("killed-" + UUID.randomUUID());
        Path database = data.resolve("db");
        Path log = data.resolve("service.log");
        String provisioning;
        String deleting;
        try (var first = ServiceProcess.start(database, instance, log)) {
            Api api = first.api();
            deleting = api.post("/clusters?wait=60s", "{\"bootstrap\":\"none\",\"workers\":3}").json().get("id").asString();
            assertThat(api.status(deleting)).isEqualTo("RUNNING");
            try (var hold = new HoldStep.Hold(HoldStep.AFTER_NODES)) {
                provisioning = api.post("/clusters", "{\"bootstrap\":\"none\",\"ipMode\":\"ipv6\",\"workers\":1,"
                        + hold.labelsJson() + "}").json().get("id").asString();
                hold.awaitHeld(SETTLE);
                api.delete("/clusters/" + deleting);

                first.kill();
            }
        }
        assertThat(TestDocker.objectsOfCluster(provisioning)).as("half-made, before the restart").isPositive();

        String interrupted;
        try (var second = ServiceProcess.start(database, instance, log)) {
            Api api = second.api();
            JsonNode failed = api.get("/clusters/" + provisioning + "?wait=60s").json();
            assertThat(failed.get("status").asString()).isEqualTo("FAILED");
            assertThat(failed.get("statusReason").asString()).contains("the service stopped while provisioning");
            assertThat(api.get("/clusters/" + deleting + "?wait=60s").json().get("status").asString()).isEqualTo("DELETED");
            assertThat(TestDocker.objectsOfCluster(provisioning)).isZero();
            assertThat(TestDocker.objectsOfCluster(deleting)).isZero();

            try (var hold = new HoldStep.Hold(HoldStep.AFTER_NODES)) {
                interrupted = api.post("/clusters", "{\"bootstrap\":\"none\",\"ipMode\":\"ipv6\",\"workers\":1,"
                        + hold.labelsJson() + "}").json().get("id").asString();
                hold.awaitHeld(SETTLE);
                assertThat(TestDocker.objectsOfCluster(interrupted)).as("network, two nodes, DNS64, NAT64").isEqualTo(5);
                second.terminate();
            }
        }

        try (var third = ServiceProcess.start(database, instance, log)) {
            Api api = third.api();
            // Held, it could not finish before SIGTERM: it failed, and nothing of it is left.
            JsonNode failed = api.get("/clusters/" + interrupted + "?wait=60s").json();
            assertThat(failed.get("status").asString()).as(failed.toString()).isEqualTo("FAILED");
            assertThat(TestDocker.objectsOfCluster(interrupted)).isZero();
            api.delete("/clusters/" + interrupted);
            assertThat(api.get("/clusters/" + interrupted + "?wait=60s").json().get("status").asString()).isEqualTo("DELETED");
            third.terminate();
        }
        assertThat(TestDocker.containers(Map.of(Labels.INSTANCE, instance))).isEmpty();
        assertThat(TestDocker.networks(Map.of(Labels.INSTANCE, instance))).isEmpty();
    }
}
