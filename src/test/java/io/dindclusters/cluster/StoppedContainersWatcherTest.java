package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.docker.DockerEngine.ContainerState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the container check says of a RUNNING cluster's containers, decided without an engine. */
class StoppedContainersWatcherTest {

    private static final Instant RUNNING_SINCE = Instant.parse("2026-12-01T10:00:00Z");

    private static ClusterRow row() {
        ClusterSpec spec = new ClusterSpec("c1", null, 1, null, Bootstrap.none, null, Map.of(), "PT1H", null, null, null);
        return new ClusterRow("id", "c1", "local", "local", spec, ClusterStatus.RUNNING, null,
                List.of(new Node("c1-control-plane", Node.CONTROL_PLANE, "10.0.0.2", null, List.of()),
                        new Node("c1-worker", Node.WORKER, "10.0.0.3", null, List.of())),
                List.of(), null, null, false, 0, RUNNING_SINCE, RUNNING_SINCE, null, null, RUNNING_SINCE, 0, java.util.List.of());
    }

    private static ContainerState startedAt(String at) {
        return new ContainerState("running", Instant.parse(at));
    }

    @Test
    void containersThatRunAsTheyDidAreNoProblem() {
        assertThat(StoppedContainersWatcher.problem(row(), Map.of(
                "c1-control-plane", startedAt("2026-12-01T09:59:58Z"),
                // within the allowance for a remote engine's clock
                "c1-worker", startedAt("2026-12-01T10:00:04Z")))).isNull();
    }

    @Test
    void namesContainersGoneStoppedAndRestarted() {
        assertThat(StoppedContainersWatcher.problem(row(), Map.of(
                "c1-control-plane", new ContainerState("exited", null)))).isEqualTo("2 of 2 containers not running: "
                + "c1-worker (gone), c1-control-plane (exited); the cluster does not work until they run again: "
                + "delete the cluster and create another");
        assertThat(StoppedContainersWatcher.problem(row(), Map.of(
                "c1-control-plane", startedAt("2026-12-01T09:59:58Z"),
                "c1-worker", startedAt("2026-12-01T10:07:00Z")))).startsWith("1 of 2 containers restarted since the "
                + "cluster became RUNNING: c1-worker (at 2026-12-01T10:07:00Z); what provisioning set up");
    }
}
