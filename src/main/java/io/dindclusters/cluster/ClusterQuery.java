package io.dindclusters.cluster;

import java.util.List;
import java.util.Map;

/** A filtered page request: statuses (any of), labels (all of), page size and the cursor after which to start. */
record ClusterQuery(String owner, List<ClusterStatus> statuses, Map<String, String> labels, int limit, PageCursor after) {
}
