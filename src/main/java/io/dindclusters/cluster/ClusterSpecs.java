package io.dindclusters.cluster;

/** Ready-made specs. */
final class ClusterSpecs {

    /** All defaults: what an empty POST body asks for. */
    static final ClusterSpec EMPTY = new ClusterSpec(null, null, null, null, null, null, null, null, null, null, null);

    private ClusterSpecs() {
    }
}
