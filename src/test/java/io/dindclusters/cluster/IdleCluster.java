package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A PROVISIONING cluster row that no provisioner works on, so only the test writes its events: inserted and claimed
 * by a live replica that is not this service in one transaction, so the work claimer never sees it unclaimed.
 */
final class IdleCluster {

    private IdleCluster() {
    }

    static String insert(ClusterRepository repository, TransactionTemplate transaction, String namePrefix) {
        String id = UUID.randomUUID().toString();
        var now = ClusterLifecycle.now();
        var spec = new ClusterSpec(namePrefix + "-" + id.substring(0, 8), null, 0, null, Bootstrap.none, null, Map.of(),
                "PT1H", null, null, null);
        transaction.executeWithoutResult(tx -> {
            repository.insert(new ClusterRow(id, spec.name(), "local", "local", spec, ClusterStatus.PROVISIONING, null,
                    List.of(), List.of(), null, null, false, 0, now, now, null, null, null, 0, List.of()));
            assertThat(repository.claim(id, "a-replica-of-the-test", now.plus(Duration.ofHours(1)), now)).isTrue();
        });
        return id;
    }
}
