package io.dindclusters.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.ServiceTest;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** What a stopped support container said is what a failed step reports: its last lines, both streams. */
@ServiceTest
class ContainerLogsTest {

    @Autowired
    DockerHosts hosts;

    @Test
    void readsTheLastLinesOfAContainerThatStopped() {
        var client = TestDocker.client();
        String id = client.createContainerCmd(TestImages.NODE)
                .withLabels(Map.of(Labels.INSTANCE, io.dindclusters.support.TestRun.instance("container-logs")))
                // The stdout lines follow the stderr line only once the engine has stored it (the test says so by
                // creating /tmp/go): two streams are ordered by when the engine took them, never by a pause.
                .withCmd("sh", "-c", "echo 'tayga: no tun device' >&2; i=0; "
                        + "while [ ! -e /tmp/go ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; "
                        + "for i in 1 2 3 4 5; do echo out-$i; done; exit 1")
                .exec().getId();
        try {
            client.startContainerCmd(id).exec();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> hosts.get(DockerHosts.LOCAL).engine().lastLogLines(id, 1).contains("tayga"));
            TestDocker.exec(id, "touch", "/tmp/go").ok();
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> !client.inspectContainerCmd(id).exec().getState().getRunning());

            assertThat(List.of(hosts.get(DockerHosts.LOCAL).engine().lastLogLines(id, 3).split("\n"))).containsExactly("out-3", "out-4", "out-5");
            assertThat(List.of(hosts.get(DockerHosts.LOCAL).engine().lastLogLines(id, 6).split("\n"))).containsExactly("tayga: no tun device",
                    "out-1", "out-2", "out-3", "out-4", "out-5");
        } finally {
            client.removeContainerCmd(id).withForce(true).exec();
        }
    }
}
