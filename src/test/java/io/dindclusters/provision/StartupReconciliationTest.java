package io.dindclusters.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.DindClustersApplication;
import io.dindclusters.docker.Labels;
import io.dindclusters.support.Api;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A service that stopped half-way leaves clusters PROVISIONING or DELETING and objects nobody owns; the next start
 * on the same database and engine makes both tell the truth again: what was provisioning is torn down and
 * provisioned again, deletions finish, orphans go.
 */
@org.junit.jupiter.api.Tag("docker")
class StartupReconciliationTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    @TempDir
    Path data;

    private ConfigurableApplicationContext start(String instance) {
        return new SpringApplicationBuilder(DindClustersApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("db") + ";AUTO_SERVER=FALSE",
                "--dind.docker.instance=" + instance,
                // the same replica after the restart, as a single process on one host is
                "--dind.replica.id=" + instance);
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void restartProvisionsInterruptedClustersAgainFinishesDeletionsAndRemovesOrphans() {
        String instance = io.dindclusters.support.TestRun.instance(UUID.randomUUID().toString());
        String interrupted;
        String deleting;
        String running;
        try (var first = start(instance)) {
            Api api = api(first);
            interrupted = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":1}").json().get("id").asString();
            deleting = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}").json().get("id").asString();
            running = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}").json().get("id").asString();
            for (String id : new String[] {interrupted, deleting, running}) {
                api.awaitStatus(id, "RUNNING", SETTLE);
            }
            // What a process killed mid-way leaves in the database: the states it was in the middle of.
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            // (a killed replica's claim stays on the row until its lease runs out)
            jdbc.sql("UPDATE clusters SET status = 'PROVISIONING', claimed_by = ?, lease_until = ? WHERE id = ?")
                    .params(instance, java.sql.Timestamp.from(java.time.Instant.now().plusSeconds(30)), interrupted)
                    .update();
            jdbc.sql("UPDATE clusters SET status = 'DELETING' WHERE id = ?").param(deleting).update();
        }
        // And on the engine: objects of a cluster the database never heard of.
        String orphan = UUID.randomUUID().toString();
        var orphanLabels = Labels.of(instance, orphan, "worker");
        TestDocker.client().createNetworkCmd().withName("dind-orphan-" + orphan.substring(0, 8))
                .withLabels(orphanLabels).exec();
        TestDocker.client().createContainerCmd(TestImages.NODE).withLabels(orphanLabels).exec();
        assertThat(TestDocker.objectsOfCluster(interrupted)).isEqualTo(3);
        assertThat(TestDocker.objectsOfCluster(orphan)).isEqualTo(2);

        try (var second = start(instance)) {
            Api api = api(second);

            // Torn down before the service served, and provisioned again: one set of containers, a second attempt.
            var again = api.awaitStatus(interrupted, "RUNNING", SETTLE);
            assertThat(again.get("provisioningAttempts").asInt()).isEqualTo(2);
            assertThat(TestDocker.objectsOfCluster(interrupted)).as("network and two nodes, once").isEqualTo(3);
            assertThat(api.readStream("/clusters/" + interrupted + "/events", SETTLE))
                    .filteredOn(e -> "status".equals(e.event())).extracting(e -> e.json().get("message").asString())
                    .anySatisfy(m -> assertThat(m).contains("attempt 1 was lost: this replica (" + instance
                            + ") stopped while provisioning it"));

            assertThat(api.status(deleting)).isEqualTo("DELETED");
            assertThat(TestDocker.objectsOfCluster(deleting)).isZero();

            assertThat(TestDocker.objectsOfCluster(orphan)).isZero();
            assertThat(TestDocker.networks(Map.of(Labels.CLUSTER, orphan))).isEmpty();

            assertThat(api.status(running)).isEqualTo("RUNNING");
            assertThat(TestDocker.objectsOfCluster(running)).isEqualTo(2);
            for (String id : new String[] {running, interrupted}) {
                api.delete("/clusters/" + id);
                api.awaitStatus(id, "DELETED", SETTLE);
                assertThat(TestDocker.objectsOfCluster(id)).isZero();
            }
        }
    }
}
