package io.dindclusters.provision;

import io.dindclusters.cluster.Cluster;
import io.dindclusters.cluster.ClusterDeletionRequested;
import io.dindclusters.cluster.ClusterLifecycle;
import io.dindclusters.cluster.ClusterRequested;
import io.dindclusters.cluster.ClusterStatus;
import io.dindclusters.cluster.Node;
import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.SupportContainer;
import io.dindclusters.docker.DockerHost;
import io.dindclusters.docker.DockerHostChecker;
import io.dindclusters.docker.DockerHosts;
import io.dindclusters.docker.DockerProperties;
import io.dindclusters.events.EventLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Runs the provisioning pipeline and teardown in the background: at most {@code maxConcurrentClusters} clusters
 * provision at once, the rest wait PENDING. A failed step tears down what was made (found by labels) and leaves
 * the cluster FAILED with the step's reason. A deletion during provisioning stops the pipeline at the next step
 * boundary and tears down once the running step has ended. Work is claimed in the database first (see
 * {@link UnattendedWorkClaimer}), so among replicas only one works on a cluster. An attempt whose replica stopped is
 * torn down and provisioned again (at most {@code maxAttempts} lost ones); a draining replica finishes what it can
 * and hands the rest back ({@link #drain}).
 */
@Component
class ClusterProvisioner {

    private static final Logger log = LoggerFactory.getLogger(ClusterProvisioner.class);

    /** One provisioning run of one cluster, so that a teardown can wait for it and a drain can stop it. */
    private static final class Run {
        private static final int QUEUED = 0;
        private static final int STARTED = 1;
        private static final int CANCELLED = 2;

        final CountDownLatch done = new CountDownLatch(1);
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        /**
         * Set by a drain: the attempt ends at the next stage, or where its step waits (no interrupts: H2 closes
         * its file under an interrupted thread), and the cluster goes back to PENDING.
         */
        volatile boolean handBack;
        /** The hand-back could not tear down: another replica takes the work over, and tears down itself. */
        volatile boolean leaveToOthers;

        boolean start() {
            return state.compareAndSet(QUEUED, STARTED);
        }

        boolean cancel() {
            return state.compareAndSet(QUEUED, CANCELLED);
        }

        boolean started() {
            return state.get() == STARTED;
        }
    }

    private final List<ProvisioningStep> steps;
    private final StepRunner runner;
    private final ClusterTeardown teardown;
    private final ClusterLifecycle lifecycle;
    private final EventLog eventLog;
    private final String instance;
    private final ProvisioningProperties properties;
    private final ExecutorService provisioning;
    private final ExecutorService teardowns;
    private final SimpleAsyncTaskExecutor parallel;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final java.util.Set<String> tearingDown = ConcurrentHashMap.newKeySet();
    private final ReplicaProperties replica;
    private final DockerHosts hosts;
    private final DockerHostChecker checker;
    private final MeterRegistry meters;
    private final io.dindclusters.logs.CapturedLogs capturedLogs;
    /** Set on SIGTERM: nothing new is claimed. */
    private volatile boolean draining;
    /** Set once the drain timeout has passed: what starts from now on goes back at once. */
    private volatile boolean handingBack;

    ClusterProvisioner(List<ProvisioningStep> steps, StepRunner runner, ClusterTeardown teardown,
                       ClusterLifecycle lifecycle, EventLog eventLog, DockerProperties docker, DockerHosts hosts,
                       DockerHostChecker checker, ProvisioningProperties properties, ReplicaProperties replica,
                       Environment environment, MeterRegistry meters, io.dindclusters.logs.CapturedLogs capturedLogs) {
        this.meters = meters;
        this.capturedLogs = capturedLogs;
        this.hosts = hosts;
        this.checker = checker;
        this.replica = replica;
        this.steps = steps.stream().sorted(java.util.Comparator.comparingInt(ProvisioningStep::stage)).toList();
        this.runner = runner;
        this.teardown = teardown;
        this.lifecycle = lifecycle;
        this.eventLog = eventLog;
        this.instance = docker.instance();
        this.properties = properties;
        this.provisioning = Executors.newFixedThreadPool(properties.maxConcurrentClusters(),
                new CustomizableThreadFactory("provision-"));
        this.teardowns = Executors.newFixedThreadPool(properties.maxConcurrentTeardowns(),
                new CustomizableThreadFactory("teardown-"));
        this.parallel = new SimpleAsyncTaskExecutor("provision-parallel-");
        this.parallel.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
        // Stages and their per-node work nest; a limit that low could leave waiting parents holding every thread.
        this.parallel.setConcurrencyLimit(512);
        log.info("provisioning pipeline: {}", this.steps.stream().map(s -> s.stage() + ":" + s.name()).toList());
    }

    /**
     * The replica that accepts a request claims its work in the request's own transaction: the row is never visible
     * unclaimed, so another replica's {@link UnattendedWorkClaimer} cannot take it between the commit and the claim.
     */
    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void claimWithRequest(ClusterRequested event) {
        if (!draining) {
            lifecycle.claim(event.clusterId(), replica.id(), replica.lease());
        }
    }

    /** Once committed, the work claimed with the request starts; a drain begun meanwhile hands it back. */
    @TransactionalEventListener(fallbackExecution = true)
    void onRequested(ClusterRequested event) {
        if (draining) {
            lifecycle.releaseClaim(event.clusterId(), replica.id());
        } else if (lifecycle.claim(event.clusterId(), replica.id(), replica.lease())) {
            submitProvisioning(event.clusterId());
        }
    }

    /**
     * Claims the teardown; a cluster another replica is provisioning stays with that replica, whose pipeline stops
     * at the next step and tears down itself. Another replica may take the teardown first; either way it runs once.
     */
    @TransactionalEventListener(fallbackExecution = true)
    void onDeletionRequested(ClusterDeletionRequested event) {
        if (!draining && lifecycle.claim(event.clusterId(), replica.id(), replica.lease())) {
            submitTeardown(event.clusterId());
        }
    }

    /** Whether this process is provisioning or tearing the cluster down right now. */
    boolean isBusy(String clusterId) {
        return runs.containsKey(clusterId) || tearingDown.contains(clusterId);
    }

    /** Whether this replica is draining: it takes no new work. */
    boolean isDraining() {
        return draining;
    }

    /**
     * Provisioning whose replica stopped: what it made is removed, and the cluster provisioned again, or FAILED with
     * every lost attempt's reason once {@code maxAttempts} are lost.
     *
     * @param lastHolder the replica that held the work before (null: unknown)
     */
    void submitRecovery(String clusterId, String lastHolder) {
        teardowns.execute(() -> recover(clusterId, lastHolder));
    }

    void recover(String clusterId, String lastHolder) {
        if (!tearingDown.add(clusterId)) {
            return;
        }
        boolean again = false;
        try {
            String why = replica.id().equals(lastHolder)
                    ? "this replica (" + replica.id() + ") stopped while provisioning it"
                    : lastHolder == null ? "its replica stopped while provisioning it"
                    : "replica " + lastHolder + " stopped while provisioning it (killed, or its lease ran out)";
            try {
                tearDownNow(clusterId);
            } catch (StepRunner.StepFailure failure) {
                lifecycle.move(clusterId, ClusterStatus.PROVISIONING, ClusterStatus.FAILED, why
                        + "; removing what it made failed, so it is not provisioned again: " + failure.getMessage());
                attemptEnded("lost");
                return;
            }
            why += "; replica " + replica.id() + " removed its containers and networks";
            again = lifecycle.retry(clusterId, why, true, properties.maxAttempts())
                    .filter(status -> status == ClusterStatus.PENDING).isPresent();
            attemptEnded("lost");
        } catch (RuntimeException e) {
            log.error("recovery of cluster {} failed unexpectedly", clusterId, e);
        } finally {
            tearingDown.remove(clusterId);
            if (!again) {
                lifecycle.releaseClaim(clusterId, replica.id());
            }
        }
        if (again) {
            submitProvisioning(clusterId); // the claim is still this replica's
        }
    }

    void submitProvisioning(String clusterId) {
        if (draining) {
            lifecycle.releaseClaim(clusterId, replica.id()); // PENDING, for a replica that stays
            return;
        }
        Run run = new Run();
        if (runs.putIfAbsent(clusterId, run) != null) {
            return;
        }
        provisioning.execute(() -> {
            if (!run.start()) {
                return; // a drain handed it back before it began
            }
            try {
                if (!handingBack) { // past the drain timeout, it stays PENDING for the next replica
                    provision(clusterId, run);
                }
            } catch (RuntimeException e) {
                log.error("provisioning of cluster {} failed unexpectedly", clusterId, e);
            } finally {
                runs.remove(clusterId, run);
                run.done.countDown();
                afterProvisioning(clusterId, run);
            }
        });
    }

    /**
     * Hands the claim back, or keeps it for the teardown when a deletion arrived meanwhile. While draining, work
     * left (a deletion, a hand-back that could not tear down) goes to the next replica at once.
     */
    private void afterProvisioning(String clusterId, Run run) {
        try {
            ClusterStatus status = lifecycle.statusOf(clusterId).orElse(null);
            if (status == ClusterStatus.DELETING && !draining) {
                submitTeardown(clusterId);
            } else if (run.leaveToOthers || (draining && status == ClusterStatus.DELETING)) {
                lifecycle.expireClaim(clusterId, replica.id());
            } else {
                lifecycle.releaseClaim(clusterId, replica.id());
            }
        } catch (RuntimeException e) {
            log.warn("cluster {}: could not hand back its claim: {}", clusterId, e.toString());
        }
    }

    /** Tears the cluster down once, however often it is asked for. */
    void submitTeardown(String clusterId) {
        teardowns.execute(() -> tearDownClaimed(clusterId));
    }

    void tearDownClaimed(String clusterId) {
        if (handingBack) {
            lifecycle.expireClaim(clusterId, replica.id()); // queued past the drain timeout: the next replica does it
            return;
        }
        if (!tearingDown.add(clusterId)) {
            return;
        }
        try {
            tearDown(clusterId);
        } catch (RuntimeException e) {
            log.error("teardown of cluster {} failed unexpectedly", clusterId, e);
        } finally {
            tearingDown.remove(clusterId);
            lifecycle.releaseClaim(clusterId, replica.id());
        }
    }

    private void provision(String clusterId, Run run) {
        int attempt = lifecycle.startAttempt(clusterId);
        if (attempt == 0) {
            return;
        }
        Optional<Cluster> found = lifecycle.find(clusterId);
        if (found.isEmpty()) {
            return;
        }
        DockerHost host = hosts.find(found.get().dockerHost()).orElse(null);
        if (host == null) {
            lifecycle.move(clusterId, ClusterStatus.PROVISIONING, ClusterStatus.FAILED, "Docker host "
                    + found.get().dockerHost() + " is not configured (any more); nothing was created");
            attemptEnded("failed");
            return;
        }
        // containers and the network are named after the name the cluster was made with (a pool's, once claimed)
        var context = new ProvisioningContext(clusterId, instance,
                found.get().spec().withName(found.get().nodeNamePrefix()), host, parallel,
                () -> run.handBack);
        List<Node> recordedNodes = found.get().nodes();
        List<SupportContainer> recordedSupport = supportOf(found.get());
        ProvisioningContext.KubernetesAccess recordedAccess = null;
        try {
            for (List<ProvisioningStep> stage : stages(context.spec())) {
                if (run.handBack) {
                    handBack(clusterId, attempt, run);
                    return;
                }
                if (lifecycle.statusOf(clusterId).orElse(null) != ClusterStatus.PROVISIONING) {
                    attemptEnded("deleted");
                    return;
                }
                runStage(clusterId, stage, context);
                if (!context.nodes().equals(recordedNodes) || !context.supportContainers().equals(recordedSupport)) {
                    recordedNodes = context.nodes();
                    recordedSupport = context.supportContainers();
                    lifecycle.recordContainers(clusterId, recordedNodes, recordedSupport);
                }
                var access = context.kubernetes();
                if (access != null && access.kubeconfig() != null && access != recordedAccess) {
                    recordedAccess = access;
                    lifecycle.recordKubernetes(clusterId, access.apiServer(), access.version().toString(),
                            access.kubeconfig());
                }
            }
            attemptEnded(lifecycle.move(clusterId, ClusterStatus.PROVISIONING, ClusterStatus.RUNNING, null)
                    ? "running" : "deleted");
        } catch (StepRunner.StepFailure failure) {
            noteIfUnreachable(host, failure);
            if (run.handBack) {
                handBack(clusterId, attempt, run);
            } else {
                failAndCleanUp(clusterId, failure.getMessage());
            }
        } catch (RuntimeException e) {
            failAndCleanUp(clusterId, "unexpected error: " + e);
            throw e;
        }
    }

    /**
     * The drain stopped this attempt: what it made is removed and the cluster goes back to PENDING for another
     * replica, at no cost in attempts. When the removal fails, the next replica takes the work over and tries.
     */
    private void handBack(String clusterId, int attempt, Run run) {
        if (lifecycle.statusOf(clusterId).orElse(null) != ClusterStatus.PROVISIONING) {
            return; // a deletion arrived meanwhile; whoever takes it tears down
        }
        try {
            teardown.run(clusterId);
            forgetContainers(clusterId);
        } catch (StepRunner.StepFailure failure) {
            log.warn("cluster {}: handing attempt {} back, removing what it made failed ({}); the next replica "
                    + "takes it over", clusterId, attempt, failure.getMessage());
            run.leaveToOthers = true;
            return;
        }
        lifecycle.retry(clusterId, "replica " + replica.id() + " was shut down and could not finish it within "
                + "dind.replica.drain-timeout (" + replica.drainTimeout() + "); what it made was removed", false,
                properties.maxAttempts());
        attemptEnded("handed_back");
    }

    /**
     * A step that failed because the engine could not be reached tells the host's state at once (health, placement
     * and the cluster views read it), instead of at the next periodic check.
     */
    private static void noteIfUnreachable(DockerHost host, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.dindclusters.docker.DockerEngineException e && e.unreachable()) {
                host.markUnreachable(e.getMessage());
                return;
            }
        }
    }

    /** {@code dind_provisioning_attempts_total{outcome}}: how each provisioning attempt ended. */
    private void attemptEnded(String outcome) {
        Counter.builder("dind.provisioning.attempts")
                .description("Provisioning attempts by how they ended: running, failed (a step failed), lost (its "
                        + "replica stopped; torn down and provisioned again), handed_back (a draining replica "
                        + "gave it back) or deleted")
                .tag("outcome", outcome).register(meters).increment();
    }

    /** The steps that apply to this spec, grouped by stage in ascending order. */
    private List<List<ProvisioningStep>> stages(ClusterSpec spec) {
        Map<Integer, List<ProvisioningStep>> byStage = new java.util.TreeMap<>();
        for (ProvisioningStep step : steps) {
            if (step.appliesTo(spec)) {
                byStage.computeIfAbsent(step.stage(), s -> new java.util.ArrayList<>()).add(step);
            }
        }
        return List.copyOf(byStage.values());
    }

    /** Runs the steps of one stage at once; when any fails, waits for the others and reports the first failure. */
    private void runStage(String clusterId, List<ProvisioningStep> stage, ProvisioningContext context)
            throws StepRunner.StepFailure {
        if (stage.size() == 1) {
            runStep(clusterId, stage.get(0), context);
            return;
        }
        try {
            context.forEachConcurrently(stage, step -> {
                runStep(clusterId, step, context);
                return step;
            });
        } catch (StepRunner.StepFailure | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void runStep(String clusterId, ProvisioningStep step, ProvisioningContext context)
            throws StepRunner.StepFailure {
        var view = context.forStep(new ClusterEvents(eventLog, clusterId, step.name()));
        runner.run("provisioning", clusterId, step.name(), () -> step.run(view));
    }

    /** Once its containers are gone, a cluster has no nodes, no support containers and no API server to reach. */
    private void forgetContainers(String clusterId) {
        lifecycle.recordContainers(clusterId, List.of(), List.of());
        lifecycle.retainContainers(clusterId, false);
        lifecycle.recordKubernetes(clusterId, null, null, null);
    }

    private static List<SupportContainer> supportOf(Cluster cluster) {
        return java.util.stream.Stream.of(cluster.dns64(), cluster.nat64()).filter(java.util.Objects::nonNull)
                .sorted(java.util.Comparator.comparing(SupportContainer::role)).toList();
    }

    private void failAndCleanUp(String clusterId, String reason) {
        if (lifecycle.statusOf(clusterId).orElse(null) != ClusterStatus.PROVISIONING) {
            return; // a deletion arrived meanwhile; its teardown removes everything
        }
        String outcome = reason;
        Cluster cluster = lifecycle.find(clusterId).orElse(null);
        if (cluster != null && cluster.spec().retainsOnFailure()) {
            lifecycle.retainContainers(clusterId, true);
            lifecycle.move(clusterId, ClusterStatus.PROVISIONING, ClusterStatus.FAILED, reason + "; its containers are "
                    + "kept (retainOnFailure) until it is deleted or its ttl ends: GET /clusters/" + clusterId + "/logs");
            attemptEnded("failed");
            return;
        }
        if (cluster != null) {
            captureLogs(cluster);
        }
        try {
            teardown.run(clusterId);
            forgetContainers(clusterId);
        } catch (StepRunner.StepFailure teardownFailure) {
            outcome = reason + "; cleaning up also failed (" + teardownFailure.getMessage()
                    + "); what remains is removed when the cluster is deleted";
        }
        lifecycle.move(clusterId, ClusterStatus.PROVISIONING, ClusterStatus.FAILED, outcome);
        attemptEnded("failed");
    }

    /**
     * Keeps the container parts of a failed cluster's logs bundle before its containers go, so that GET
     * /clusters/{id}/logs still has them; bounded by dind.logs.capture-timeout, and never in the way of the teardown.
     */
    private void captureLogs(Cluster cluster) {
        String clusterId = cluster.id();
        try {
            DockerHost host = hosts.find(cluster.dockerHost()).orElse(null);
            if (host == null) {
                return;
            }
            var found = host.engine().containersWithLabels(io.dindclusters.docker.Labels.ofCluster(instance, clusterId));
            if (!found.isEmpty()) {
                capturedLogs.capture(cluster, host.engine(), found);
                lifecycle.log(clusterId, "captured the logs of its " + found.size() + " containers before removing "
                        + "them: GET /clusters/" + clusterId + "/logs");
            }
        } catch (RuntimeException e) {
            log.warn("cluster {}: its logs could not be captured", clusterId, e);
            lifecycle.log(clusterId, "its logs could not be captured before its containers were removed: "
                    + e.getMessage());
        }
    }

    private void tearDown(String clusterId) {
        Run run = runs.get(clusterId);
        if (run != null && run.started()) {
            try {
                if (!run.done.await(properties.teardownWait().toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("cluster {}: provisioning did not stop within {}; tearing down anyway", clusterId,
                            properties.teardownWait());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            teardown.run(clusterId);
            forgetContainers(clusterId);
            lifecycle.move(clusterId, ClusterStatus.DELETING, ClusterStatus.DELETED, null);
            capturedLogs.forget(clusterId);
        } catch (StepRunner.StepFailure failure) {
            DockerHost host = lifecycle.find(clusterId).flatMap(c -> hosts.find(c.dockerHost())).orElse(null);
            if (host != null && !checker.check(host)) {
                // Its host went away: the cluster stays DELETING, and is claimed again once the host answers.
                lifecycle.log(clusterId, "teardown " + failure.getMessage() + "; Docker host " + host.name()
                        + " cannot be reached: the deletion finishes once it answers again");
                return;
            }
            lifecycle.move(clusterId, ClusterStatus.DELETING, ClusterStatus.FAILED,
                    "teardown " + failure.getMessage() + "; DELETE the cluster again to retry");
        }
    }

    /** Tears down a cluster a previous process left half-way; used by start-up reconciliation. */
    void tearDownNow(String clusterId) throws StepRunner.StepFailure {
        teardown.run(clusterId);
        forgetContainers(clusterId);
    }

    /**
     * SIGTERM: takes no new work, lets what this replica holds finish within {@code timeout} (renewing its claims
     * meanwhile, as the scheduler has stopped), then stops what is left where its step waits and hands it back:
     * torn down and PENDING, for another replica to take at once. Work that did not stop in time is left to the next
     * replica, which takes it over at once. Returns when nothing is left, bounded by {@code timeout} plus 30 s for the
     * hand-back.
     */
    void drain(Duration timeout, Runnable heartbeat) {
        draining = true;
        // Queued, not begun: back to PENDING's pool at once.
        runs.forEach((id, run) -> {
            if (run.cancel() && runs.remove(id, run)) {
                run.done.countDown();
                lifecycle.releaseClaim(id, replica.id());
            }
        });
        long heartbeatNanos = replica.heartbeatInterval().toNanos();
        long start = System.nanoTime();
        awaitIdle(start + timeout.toNanos(), heartbeatNanos, heartbeat);
        if (runs.isEmpty() && tearingDown.isEmpty()) {
            return;
        }
        handingBack = true;
        log.warn("drain: {} provisioning and {} teardowns did not finish within {}; handing them back",
                runs.size(), tearingDown.size(), timeout);
        runs.values().forEach(run -> run.handBack = true);
        // Not bounded by the drain timeout: a short one must not cut the teardown short, or the attempt counts as
        // lost after all (the platform's grace period allows for this wait: see the Helm chart).
        awaitIdle(System.nanoTime() + HAND_BACK_WAIT.toNanos(), heartbeatNanos, heartbeat);
        runs.keySet().forEach(id -> lifecycle.expireClaim(id, replica.id()));
        tearingDown.forEach(id -> lifecycle.expireClaim(id, replica.id()));
    }

    /** Takes work again after a drain (a context stopped and started again). */
    void resume() {
        handingBack = false;
        draining = false;
    }

    /** Longest the drain waits, after its timeout, for stopped attempts to tear down and hand back. */
    private static final Duration HAND_BACK_WAIT = Duration.ofSeconds(30);

    private void awaitIdle(long deadline, long heartbeatNanos, Runnable heartbeat) {
        long nextBeat = System.nanoTime() + heartbeatNanos;
        while ((!runs.isEmpty() || !tearingDown.isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (System.nanoTime() >= nextBeat) {
                heartbeat.run();
                nextBeat = System.nanoTime() + heartbeatNanos;
            }
        }
    }

    /** After the drain: stops the pools; anything still in them is left to the next replica or start. */
    @PreDestroy
    void shutdown() throws InterruptedException {
        provisioning.shutdownNow();
        teardowns.shutdownNow();
        provisioning.awaitTermination(10, TimeUnit.SECONDS);
        teardowns.awaitTermination(10, TimeUnit.SECONDS);
    }
}
