package io.dindclusters.cluster;

import io.swagger.v3.oas.annotations.media.Schema;

/** What PATCH /clusters/{id} can change: the time to live, counted from now. */
@Schema(description = "A change to a cluster: its time to live from now.")
public record ClusterUpdate(
        @Schema(description = "ISO-8601 duration from now, such as PT2H; at most dind.clusters.max-ttl.", example = "PT2H")
        String ttl) {
}
