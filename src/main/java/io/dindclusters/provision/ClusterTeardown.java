package io.dindclusters.provision;

import io.dindclusters.cluster.Cluster;
import io.dindclusters.cluster.ClusterLifecycle;
import io.dindclusters.docker.DockerHost;
import io.dindclusters.docker.DockerHosts;
import io.dindclusters.docker.DockerProperties;
import io.dindclusters.events.EventLog;
import java.util.List;
import org.springframework.stereotype.Component;

/** Runs the teardown steps in order on the cluster's Docker host; each finds what to remove by the cluster's labels. */
@Component
class ClusterTeardown {

    private final List<TeardownStep> steps;
    private final StepRunner runner;
    private final EventLog log;
    private final String instance;
    private final ClusterLifecycle lifecycle;
    private final DockerHosts hosts;

    ClusterTeardown(List<TeardownStep> steps, StepRunner runner, EventLog log, DockerProperties docker,
                    ClusterLifecycle lifecycle, DockerHosts hosts) {
        this.lifecycle = lifecycle;
        this.hosts = hosts;
        this.steps = steps;
        this.runner = runner;
        this.log = log;
        this.instance = docker.instance();
    }

    /** Runs every step even when one fails, so as much as possible is removed; rethrows the first failure. */
    void run(String clusterId) throws StepRunner.StepFailure {
        String hostName = lifecycle.find(clusterId).map(Cluster::dockerHost).orElse(DockerHosts.LOCAL);
        DockerHost host = hosts.find(hostName).orElse(null);
        if (host == null) {
            String reason = "Docker host " + hostName + " is not configured (any more), so its containers cannot be "
                    + "removed until it is configured again";
            log.log(clusterId, null, reason);
            throw new StepRunner.StepFailure(reason, null);
        }
        StepRunner.StepFailure first = null;
        for (TeardownStep step : steps) {
            var context = new TeardownContext(clusterId, instance, host.engine(),
                    new ClusterEvents(log, clusterId, step.name()));
            try {
                runner.run("teardown", clusterId, step.name(), () -> step.run(context));
            } catch (StepRunner.StepFailure failure) {
                first = first == null ? failure : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
