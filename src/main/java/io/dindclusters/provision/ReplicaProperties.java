package io.dindclusters.provision;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * This process among the replicas that share one database. Provisioning and teardown work is claimed in the
 * database by one replica at a time, under a lease its heartbeat renews; when a replica dies, its leases run out and
 * another takes the work over.
 *
 * @param id            this replica's name; default the host name (unique per pod; the same after a restart on one
 *                      host, so a restarted single process takes its own work back at once). Two processes on one
 *                      host sharing a database need ids of their own.
 * @param lease             how long a claim holds without a heartbeat
 * @param heartbeatInterval how often this replica renews its claims; keep it well under {@code lease}
 * @param claimInterval     how often unclaimed work (and work of replicas that died) is looked for
 * @param drainTimeout      on SIGTERM, how long this replica lets the provisioning and teardowns it holds finish
 *                          before it hands the rest back; keep it under the platform's grace period (the Helm chart
 *                          sets terminationGracePeriodSeconds from it)
 */
@ConfigurationProperties("dind.replica")
public record ReplicaProperties(String id, @DefaultValue("30s") Duration lease,
                                @DefaultValue("10s") Duration heartbeatInterval,
                                @DefaultValue("2s") Duration claimInterval,
                                @DefaultValue("60s") Duration drainTimeout) {

    public ReplicaProperties {
        if (heartbeatInterval.multipliedBy(2).compareTo(lease) > 0) {
            throw new IllegalArgumentException("dind.replica.heartbeat-interval must be at most half of dind.replica.lease");
        }
        if (id == null || id.isBlank()) {
            try {
                id = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                id = "replica";
            }
        }
    }
}
