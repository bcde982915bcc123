package io.dindclusters.provision;

import io.dindclusters.events.EventLog;

/** Where one step reports what it does: log lines in the cluster's event stream, tagged with the step. */
public final class ClusterEvents {

    private final EventLog log;
    private final String clusterId;
    private final String step;

    ClusterEvents(EventLog log, String clusterId, String step) {
        this.log = log;
        this.clusterId = clusterId;
        this.step = step;
    }

    public void log(String message) {
        log.log(clusterId, step, message);
    }
}
