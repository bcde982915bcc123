package io.dindclusters.provision;

import io.dindclusters.events.EventLog;

/** Where a step reports what it does: log lines in the cluster's event stream. */
public final class ClusterEvents {

    private final EventLog log;
    private final String clusterId;
    private volatile String step;

    ClusterEvents(EventLog log, String clusterId) {
        this.log = log;
        this.clusterId = clusterId;
    }

    void enter(String step) {
        this.step = step;
    }

    public void log(String message) {
        log.log(clusterId, step, message);
    }
}
