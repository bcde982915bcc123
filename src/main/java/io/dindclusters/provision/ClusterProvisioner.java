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
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Runs the provisioning pipeline and teardown in the background: at most {@code maxConcurrentClusters} clusters
 * provision at once, the rest wait PENDING. A failed step tears down what was made (found by labels) and leaves
 * the cluster FAILED with the step's reason. A deletion during provisioning stops the pipeline at the next step
 * boundary and tears down once the running step has ended. Work is claimed in the database first (see
 * {@link UnattendedWorkClaimer}), so among replicas only one works on a cluster.
 */
@Component
class ClusterProvisioner {

    private static final Logger log = LoggerFactory.getLogger(ClusterProvisioner.class);

    /** One provisioning run of one cluster, so that a teardown can wait for it. */
    private static final class Run {
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean started;
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

    ClusterProvisioner(List<ProvisioningStep> steps, StepRunner runner, ClusterTeardown teardown,
                       ClusterLifecycle lifecycle, EventLog eventLog, DockerProperties docker, DockerHosts hosts,
                       DockerHostChecker checker, ProvisioningProperties properties, ReplicaProperties replica,
                       Environment environment) {
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

    /** The replica that accepted the request claims the work at once; others pick up what nobody holds. */
    @TransactionalEventListener(fallbackExecution = true)
    void onRequested(ClusterRequested event) {
        if (lifecycle.claim(event.clusterId(), replica.id(), replica.lease())) {
            submitProvisioning(event.clusterId());
        }
    }

    /**
     * Claims the teardown; a cluster another replica is provisioning stays with that replica, whose pipeline stops
     * at the next step and tears down itself.
     */
    @TransactionalEventListener(fallbackExecution = true)
    void onDeletionRequested(ClusterDeletionRequested event) {
        if (lifecycle.claim(event.clusterId(), replica.id(), replica.lease())) {
            submitTeardown(event.clusterId());
        }
    }

    /** Whether this process is provisioning or tearing the cluster down right now. */
    boolean isBusy(String clusterId) {
        return runs.containsKey(clusterId) || tearingDown.contains(clusterId);
    }

    /** Provisioning whose replica stopped: what it made is removed, and the cluster FAILED with the reason. */
    void submitRecovery(String clusterId) {
        teardowns.execute(() -> recover(clusterId));
    }

    void recover(String clusterId) {
        if (!tearingDown.add(clusterId)) {
            return;
        }
        try {
            String reason = "the service stopped while provisioning this cluster";
            try {
                tearDownNow(clusterId);
                reason += "; its containers and networks were removed at restart or takeover by replica " + replica.id();
            } catch (StepRunner.StepFailure failure) {
                reason += "; removing its objects failed: " + failure.getMessage();
            }
            lifecycle.move(clusterId, ClusterStatus.PROVISIONING, ClusterStatus.FAILED, reason);
        } catch (RuntimeException e) {
            log.error("recovery of cluster {} failed unexpectedly", clusterId, e);
        } finally {
            lifecycle.releaseClaim(clusterId, replica.id());
            tearingDown.remove(clusterId);
        }
    }

    void submitProvisioning(String clusterId) {
        Run run = new Run();
        if (runs.putIfAbsent(clusterId, run) != null) {
            return;
        }
        provisioning.execute(() -> {
            run.started = true;
            try {
                provision(clusterId);
            } catch (RuntimeException e) {
                log.error("provisioning of cluster {} failed unexpectedly", clusterId, e);
            } finally {
                runs.remove(clusterId, run);
                run.done.countDown();
                afterProvisioning(clusterId);
            }
        });
    }

    /** Hands the claim back, or keeps it for the teardown when a deletion arrived meanwhile. */
    private void afterProvisioning(String clusterId) {
        try {
            if (lifecycle.statusOf(clusterId).orElse(null) == ClusterStatus.DELETING) {
                submitTeardown(clusterId);
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

    private void provision(String clusterId) {
        if (!lifecycle.move(clusterId, ClusterStatus.PENDING, ClusterStatus.PROVISIONING, null)) {
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
            return;
        }
        var context = new ProvisioningContext(clusterId, instance, found.get().spec(), host, parallel);
        List<Node> recordedNodes = found.get().nodes();
        List<SupportContainer> recordedSupport = supportOf(found.get());
        ProvisioningContext.KubernetesAccess recordedAccess = null;
        try {
            for (List<ProvisioningStep> stage : stages(context.spec())) {
                if (lifecycle.statusOf(clusterId).orElse(null) != ClusterStatus.PROVISIONING) {
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
            lifecycle.move(clusterId, ClusterStatus.PROVISIONING, ClusterStatus.RUNNING, null);
        } catch (StepRunner.StepFailure failure) {
            failAndCleanUp(clusterId, failure.getMessage());
        } catch (RuntimeException e) {
            failAndCleanUp(clusterId, "unexpected error: " + e);
            throw e;
        }
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
        try {
            teardown.run(clusterId);
            forgetContainers(clusterId);
        } catch (StepRunner.StepFailure teardownFailure) {
            outcome = reason + "; cleaning up also failed (" + teardownFailure.getMessage()
                    + "); what remains is removed when the cluster is deleted";
        }
        lifecycle.move(clusterId, ClusterStatus.PROVISIONING, ClusterStatus.FAILED, outcome);
    }

    private void tearDown(String clusterId) {
        Run run = runs.get(clusterId);
        if (run != null && run.started) {
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

    /** Stops intake; what is in flight is left for the next start's reconciliation. */
    @PreDestroy
    void shutdown() throws InterruptedException {
        provisioning.shutdownNow();
        teardowns.shutdownNow();
        provisioning.awaitTermination(10, TimeUnit.SECONDS);
        teardowns.awaitTermination(10, TimeUnit.SECONDS);
    }
}
