package io.dindclusters.support;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import io.dindclusters.docker.Labels;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Before and after the whole test run, removes every container and network whose instance label starts with
 * "test-": what tests create is reaped even when a test fails or a previous run was killed. Objects of a service
 * run by hand (another instance label) are never touched.
 */
public class TestDockerObjectsReaper implements TestExecutionListener {

    static final String TEST_INSTANCE_PREFIX = "test-";

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        reap();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        reap();
    }

    static void reap() {
        try {
            var client = TestDocker.client();
            for (Container c : client.listContainersCmd().withShowAll(true)
                    .withLabelFilter(java.util.List.of(Labels.INSTANCE)).exec()) {
                if (isTest(c.getLabels().get(Labels.INSTANCE))) {
                    ignoreMissing(() -> client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec());
                }
            }
            for (Network n : client.listNetworksCmd().withFilter("label", java.util.List.of(Labels.INSTANCE)).exec()) {
                if (isTest(n.getLabels().get(Labels.INSTANCE))) {
                    ignoreMissing(() -> client.removeNetworkCmd(n.getId()).exec());
                }
            }
        } catch (RuntimeException e) {
            System.err.println("test clean-up could not reach the Docker engine: " + e.getMessage());
        }
    }

    private static boolean isTest(String instance) {
        return instance != null && instance.startsWith(TEST_INSTANCE_PREFIX);
    }

    private static void ignoreMissing(Runnable removal) {
        try {
            removal.run();
        } catch (NotFoundException e) {
            // already gone
        }
    }
}
