package io.dindclusters.provision;

import io.dindclusters.docker.DockerEngineException;
import io.dindclusters.events.EventLog;
import io.dindclusters.events.EventType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Runs one step: opens and closes it in the event stream, and times it in {@code dind.<phase>.step}. */
@Component
class StepRunner {

    interface Action {
        void run() throws Exception;
    }

    /** A step failed; the message says which and why, for the cluster's statusReason. */
    static class StepFailure extends Exception {
        StepFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final EventLog log;
    private final MeterRegistry meters;

    StepRunner(EventLog log, MeterRegistry meters) {
        this.log = log;
        this.meters = meters;
    }

    void run(String phase, String clusterId, String step, Action action) throws StepFailure {
        log.append(clusterId, EventType.STEP_STARTED, null, step, null, step + " started");
        long start = System.nanoTime();
        try {
            action.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw finish(phase, clusterId, step, start, "interrupted", e);
        } catch (Exception e) {
            throw finish(phase, clusterId, step, start, reason(e), e);
        }
        long millis = record(phase, step, start, "success");
        log.append(clusterId, EventType.STEP_FINISHED, null, step, millis, step + " finished in " + millis + " ms");
    }

    private StepFailure finish(String phase, String clusterId, String step, long start, String reason, Exception e) {
        long millis = record(phase, step, start, "failure");
        String message = "step " + step + " failed: " + reason;
        log.append(clusterId, EventType.STEP_FAILED, null, step, millis, message + " (after " + millis + " ms)");
        return new StepFailure(message, e);
    }

    private long record(String phase, String step, long start, String outcome) {
        long nanos = System.nanoTime() - start;
        Timer.builder("dind." + phase + ".step")
                .description("Duration of each " + phase + " step")
                .tag("step", step)
                .tag("outcome", outcome)
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static String reason(Exception e) {
        if (e instanceof StepFailedException || e instanceof DockerEngineException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
