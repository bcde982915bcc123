package io.dindclusters.events;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Gives committed events their place in the fleet stream's order (see V12__fleet_event_order.sql): at once after a
 * local commit, and every dind.events.poll-interval for what other replicas wrote. Among replicas one numbers at a
 * time (a lock row); the others find nothing left to number.
 */
@Component
class FleetSequencer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FleetSequencer.class);
    private static final int BATCH = 500;

    private final EventLog events;
    private final EventProperties properties;
    private final Semaphore wake = new Semaphore(0);
    private volatile Thread thread;
    private AutoCloseable listening;

    FleetSequencer(EventLog events, EventProperties properties) {
        this.events = events;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        listening = events.listenToAppends(wake::release);
        thread = new Thread(this::run, "fleet-sequencer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (thread == Thread.currentThread()) {
            try {
                int numbered = events.numberForFleet(BATCH);
                if (numbered < BATCH) {
                    wake.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("could not number events for the fleet stream; trying again: {}", e.toString());
                try {
                    Thread.sleep(properties.pollInterval().toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Stops after the web server, so the fleet streams' last events are numbered; never interrupts a statement. */
    @Override
    public synchronized void stop() {
        Thread running = thread;
        thread = null;
        wake.release();
        try {
            if (listening != null) {
                listening.close();
            }
            if (running != null) {
                running.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("fleet sequencer stop: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** Below the web server's phases: it stops once requests are done. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
