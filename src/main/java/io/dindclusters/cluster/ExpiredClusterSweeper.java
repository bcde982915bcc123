package io.dindclusters.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes clusters whose time to live ran out, every {@code dind.clusters.expiry-sweep-interval}, and forgets
 * Idempotency-Keys older than their retention. What is expired is read from the database, so a restart loses none.
 */
@Component
class ExpiredClusterSweeper {

    private static final Logger log = LoggerFactory.getLogger(ExpiredClusterSweeper.class);

    private final ClusterService service;

    ExpiredClusterSweeper(ClusterService service) {
        this.service = service;
    }

    @Scheduled(initialDelayString = "${dind.clusters.expiry-sweep-interval:15s}",
            fixedDelayString = "${dind.clusters.expiry-sweep-interval:15s}")
    void sweep() {
        try {
            int deleted = service.deleteExpired();
            if (deleted > 0) {
                log.info("deleting {} cluster{} whose time to live ran out", deleted, deleted == 1 ? "" : "s");
            }
        } catch (RuntimeException e) {
            log.warn("expiry sweep failed; it runs again: {}", e.toString());
        }
    }
}
