package io.dindclusters.provision;

import io.dindclusters.docker.DockerEngine;
import io.dindclusters.docker.Labels;
import java.util.Map;

/** What a teardown step needs: which objects are the cluster's, on which engine, and where to report. */
public record TeardownContext(String clusterId, String instance, DockerEngine engine, ClusterEvents events) {

    /** The labels that mark this service's objects of this cluster. */
    public Map<String, String> labels() {
        return Labels.ofCluster(instance, clusterId);
    }
}
