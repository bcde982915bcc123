package io.dindclusters.cluster;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on what clusters hold containers (PENDING, PROVISIONING, RUNNING, DELETING): per owner and for the whole
 * service. 0 means no limit. A create over a limit gets 429 naming it, with Retry-After.
 *
 * @param maxClustersPerOwner live clusters one owner may have
 * @param maxNodesPerOwner    nodes (control planes and workers) one owner's live clusters may have in all
 * @param maxClusters         live clusters on this service
 * @param maxNodes            nodes of all live clusters on this service
 */
@ConfigurationProperties("dind.quotas")
public record QuotaProperties(
        @DefaultValue("0") int maxClustersPerOwner,
        @DefaultValue("0") int maxNodesPerOwner,
        @DefaultValue("0") int maxClusters,
        @DefaultValue("0") int maxNodes) {
}
