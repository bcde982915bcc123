package io.dindclusters.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * The services' INFO log of this run (logback-test.xml writes it to {@link #LOG}): deleted when every test passed,
 * named on the console when one failed. Also says how many services (Spring contexts) the run started.
 */
public class ServiceLogKeeper implements TestExecutionListener {

    static final Path LOG = Path.of("target", "test-logs", "service.log");
    private final AtomicInteger failures = new AtomicInteger();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            failures.incrementAndGet();
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        System.err.println("test run " + TestRun.ID + ": " + OfflineGuard.servicesStarted() + " services started in this JVM");
        try {
            if (failures.get() == 0) {
                Files.deleteIfExists(LOG);
            } else if (Files.exists(LOG)) {
                System.err.println("test run " + TestRun.ID + ": " + failures.get() + " failed; the services' log is "
                        + LOG.toAbsolutePath());
            }
        } catch (IOException e) {
            System.err.println("cannot remove " + LOG + ": " + e.getMessage());
        }
    }
}
