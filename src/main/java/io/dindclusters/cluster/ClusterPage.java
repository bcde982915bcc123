package io.dindclusters.cluster;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One page of clusters, newest first. */
@Schema(description = "One page of clusters, newest first. Follow links.next (or the Link header) for the next page.")
public record ClusterPage(
        @Schema(description = "The clusters on this page.") List<Cluster> items,
        @Schema(description = "Cursor of the next page, absent on the last page.", example = "MTc2NDAwMDAwMDAwMDAwMHw1YjBj")
        String nextCursor,
        @Schema(description = "Links to this page and the next.") Links links) {

    @Schema(name = "PageLinks", description = "Relative links to pages.")
    public record Links(
            @Schema(example = "/clusters?limit=20") String self,
            @Schema(description = "Absent on the last page.", example = "/clusters?limit=20&cursor=MTc2NDAwMDAwMDAwMDAwMHw1YjBj")
            String next) {
    }
}
