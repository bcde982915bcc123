package io.dindclusters.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.springframework.stereotype.Component;

/** {@code dind.clusters{status}}: how many clusters are in each state, read from the database at most once a second. */
@Component
class ClusterMetrics {

    private static final long MAX_AGE_NANOS = Duration.ofSeconds(1).toNanos();

    private final ClusterRepository repository;
    private Map<ClusterStatus, Long> counts = Map.of();
    private long readAt;

    ClusterMetrics(ClusterRepository repository, MeterRegistry meters) {
        this.repository = repository;
        for (ClusterStatus status : ClusterStatus.values()) {
            Gauge.builder("dind.clusters", () -> count(status))
                    .description("Clusters by status")
                    .tag("status", status.name())
                    .register(meters);
        }
    }

    private synchronized double count(ClusterStatus status) {
        if (counts.isEmpty() || System.nanoTime() - readAt > MAX_AGE_NANOS) {
            counts = repository.countByStatus();
            readAt = System.nanoTime();
        }
        return counts.getOrDefault(status, 0L);
    }
}
