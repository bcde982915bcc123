package io.dindclusters.provision;

import io.dindclusters.docker.DockerProperties;
import io.dindclusters.events.EventLog;
import java.util.List;
import org.springframework.stereotype.Component;

/** Runs the teardown steps in order; each finds what to remove by the cluster's labels. */
@Component
class ClusterTeardown {

    private final List<TeardownStep> steps;
    private final StepRunner runner;
    private final EventLog log;
    private final String instance;

    ClusterTeardown(List<TeardownStep> steps, StepRunner runner, EventLog log, DockerProperties docker) {
        this.steps = steps;
        this.runner = runner;
        this.log = log;
        this.instance = docker.instance();
    }

    /** Runs every step even when one fails, so as much as possible is removed; rethrows the first failure. */
    void run(String clusterId) throws StepRunner.StepFailure {
        StepRunner.StepFailure first = null;
        for (TeardownStep step : steps) {
            var context = new TeardownContext(clusterId, instance, new ClusterEvents(log, clusterId, step.name()));
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
