package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.events.EventLog;
import io.dindclusters.support.Api;
import io.dindclusters.support.TestDocker;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * A wait is answered when this replica commits its cluster's status change, not at the next poll: a waiter whose
 * periodic poll never comes (an hour) still answers the moment the cluster is RUNNING.
 */
@org.junit.jupiter.api.Tag("docker")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties =
        "dind.docker.instance=test-${dind.test.run}-waiter")
class ClusterWaiterTest {

    @LocalServerPort
    int port;
    @Autowired
    ClusterService service;
    @Autowired
    ClusterRepository repository;
    @Autowired
    EventLog events;

    @Test
    void aWaitIsAnsweredByTheStatusChangeItself() {
        Api api = new Api(port);
        ClusterWaiter waiter = new ClusterWaiter(service, repository, events, Duration.ofHours(1));
        try {
            String id = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}").json().get("id").asString();
            DeferredResult<ResponseEntity<Cluster>> answer = waiter.await(id, Duration.ofHours(1), ResponseEntity::ok);
            assertThat(answer.hasResult()).as("settled before the wait began").isFalse();

            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(answer::hasResult);
            @SuppressWarnings("unchecked")
            ResponseEntity<Cluster> response = (ResponseEntity<Cluster>) answer.getResult();
            assertThat(response.getBody().status()).isEqualTo(ClusterStatus.RUNNING);

            api.delete("/clusters/" + id);
            api.awaitStatus(id, "DELETED", Duration.ofSeconds(90));
            assertThat(TestDocker.objectsOfCluster(id)).isZero();
        } finally {
            waiter.stop();
        }
    }
}
