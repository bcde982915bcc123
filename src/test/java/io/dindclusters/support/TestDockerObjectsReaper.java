package io.dindclusters.support;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import io.dindclusters.docker.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Before and after the whole test run, removes every container and network of this run (instance label starting
 * with {@link TestRun#prefix()}), those of the run that held this run's slot before (it is over, so what it left
 * was left by a killed run, in this run's address pools), and those of other runs that were killed (any "test-"
 * instance label, older than {@link #STALE}): what tests create is reaped even when a test fails or a run dies, and a
 * run beside this one keeps its objects. Objects of a service run by hand (another instance label) are never touched.
 */
public class TestDockerObjectsReaper implements TestExecutionListener {

    static final String TEST_INSTANCE_PREFIX = "test-";
    /** Far longer than a whole run takes (under ten minutes here). */
    static final Duration STALE = Duration.ofHours(3);

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        TestRun.init();
        if (TestDocker.reachable()) {
            reap();
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (TestDocker.reachable()) {
            reap();
        }
    }

    static void reap() {
        Instant staleBefore = Instant.now().minus(STALE);
        try {
            var client = TestDocker.client();
            for (Container c : client.listContainersCmd().withShowAll(true)
                    .withLabelFilter(List.of(Labels.INSTANCE)).exec()) {
                if (reapable(c.getLabels().get(Labels.INSTANCE), Instant.ofEpochSecond(c.getCreated()), staleBefore)) {
                    ignoreMissing(() -> client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec());
                }
            }
            for (Network n : client.listNetworksCmd().withFilter("label", List.of(Labels.INSTANCE)).exec()) {
                Instant created = n.getCreated() == null ? Instant.now() : n.getCreated().toInstant();
                if (reapable(n.getLabels().get(Labels.INSTANCE), created, staleBefore)) {
                    ignoreMissing(() -> client.removeNetworkCmd(n.getId()).exec());
                }
            }
        } catch (RuntimeException e) {
            System.err.println("test clean-up could not reach the Docker engine: " + e.getMessage());
        }
    }

    static boolean reapable(String instance, Instant created, Instant staleBefore) {
        String previous = TestRun.previousPrefix();
        return instance != null && (instance.startsWith(TestRun.prefix())
                || previous != null && instance.startsWith(previous)
                || instance.startsWith(TEST_INSTANCE_PREFIX) && created.isBefore(staleBefore));
    }

    private static void ignoreMissing(Runnable removal) {
        try {
            removal.run();
        } catch (NotFoundException e) {
            // already gone
        } catch (com.github.dockerjava.api.exception.DockerException e) {
            // being removed by its service right now, or a network whose container that is: say so, reap the rest
            System.err.println("test clean-up: " + e.getMessage());
        }
    }
}
