package io.dindclusters.cluster;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Defaults for new clusters.
 *
 * @param defaultNodeImage node image of clusters whose spec names none
 * @param maxPageSize      largest {@code limit} of GET /clusters
 */
@ConfigurationProperties("dind.clusters")
public record ClusterProperties(
        @DefaultValue("kindest/node:v1.33.1") String defaultNodeImage,
        @DefaultValue("100") int maxPageSize) {
}
