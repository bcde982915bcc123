package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterWaiter;
import io.dindclusters.events.EventStreamer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * What SIGTERM does to a replica, so that a deploy costs no client its cluster. Spring Boot has turned readiness to
 * REFUSING_TRAFFIC as the context began to close, so a Kubernetes Service sends nothing new. This runs next, before
 * the web server's graceful shutdown (a later phase), while requests are still served: the replica claims no new
 * work, lets what it holds finish within {@code dind.replica.drain-timeout} and hands the rest back (see
 * {@link ClusterProvisioner#drain}). Only then are waiting {@code ?wait=} requests answered with the cluster as it
 * is and Retry-After, and event streams told to reconnect: a cluster that finished meanwhile reaches its waiters as
 * it would have, and those that moved are followed on another replica.
 */
@Component
class ReplicaDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReplicaDrain.class);

    private final ClusterProvisioner provisioner;
    private final ClusterWaiter waiter;
    private final EventStreamer streams;
    private final UnattendedWorkClaimer claimer;
    private final ReplicaProperties replica;
    private volatile boolean running;

    ReplicaDrain(ClusterProvisioner provisioner, ClusterWaiter waiter, EventStreamer streams,
                 UnattendedWorkClaimer claimer, ReplicaProperties replica) {
        this.provisioner = provisioner;
        this.waiter = waiter;
        this.streams = streams;
        this.claimer = claimer;
        this.replica = replica;
    }

    /**
     * At start, and again when a stopped context is started again (Spring's test framework pauses the contexts it
     * caches and restarts them on reuse): the replica takes work and serves waits and streams as usual.
     */
    @Override
    public void start() {
        provisioner.resume();
        waiter.resume();
        streams.resume();
        running = true;
    }

    @Override
    public void stop() {
        long start = System.nanoTime();
        log.info("replica {} drains: no new work; up to {} for what it holds", replica.id(), replica.drainTimeout());
        try {
            // the scheduler that runs the heartbeat has stopped with the context: the drain beats itself
            provisioner.drain(replica.drainTimeout(), claimer::renewClaims);
        } finally {
            waiter.drain();
            streams.drain();
            running = false;
            log.info("replica {} drained in {} ms", replica.id(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The default phase: stopped before the web server's graceful shutdown (DEFAULT_PHASE - 1024). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
