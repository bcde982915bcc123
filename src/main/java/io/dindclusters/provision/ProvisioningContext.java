package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.cluster.SupportContainer;
import io.dindclusters.docker.DockerEngine;
import io.dindclusters.docker.DockerHost;
import io.dindclusters.docker.Labels;
import io.dindclusters.kube.KubernetesVersion;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * What the steps of one cluster's provisioning share: its identity and spec, and what earlier steps made. Each step
 * gets its own view ({@link #forStep}) whose events carry the step's name; steps of one stage run at once, so what
 * they record is kept thread-safe.
 */
public final class ProvisioningContext {

    /** What steps make and later steps read, shared by every view of one cluster's provisioning. */
    private static final class Made {
        volatile String networkName;
        volatile List<Node> nodes = List.of();
        volatile List<SupportContainer> supportContainers = List.of();
        volatile int apiServerHostPort;
        volatile KubernetesAccess kubernetes;
    }

    /** A stop the replica asked for, seen by a step at a point where it waits; the attempt is handed back. */
    public static final class StoppedException extends StepFailedException {
        StoppedException(String what) {
            super(what + " was stopped: this replica is shutting down and hands the cluster back");
        }
    }

    /** How users reach the cluster's Kubernetes, once kubeadm init has run; the kubeconfig is never logged. */
    public record KubernetesAccess(KubernetesVersion version, String apiServer, String kubeconfig) {
    }

    private final String clusterId;
    private final String instance;
    private final ClusterSpec spec;
    private final DockerHost host;
    private final ContainerCommands commands;
    private final ClusterEvents events;
    private final Executor parallel;
    private final Made made;
    private final BooleanSupplier stopRequested;

    /**
     * @param stopRequested true once the replica wants this attempt to end (it drains): steps check it where they
     *                      wait, instead of being interrupted, since a thread interrupted inside the embedded H2
     *                      database makes H2 close its file
     */
    ProvisioningContext(String clusterId, String instance, ClusterSpec spec, DockerHost host, Executor parallel,
                        BooleanSupplier stopRequested) {
        this(clusterId, instance, spec, host, new ContainerCommands(host.engine(), stopRequested), null, parallel,
                new Made(), stopRequested);
    }

    private ProvisioningContext(String clusterId, String instance, ClusterSpec spec, DockerHost host,
                                ContainerCommands commands, ClusterEvents events, Executor parallel, Made made,
                                BooleanSupplier stopRequested) {
        this.stopRequested = stopRequested;
        this.clusterId = clusterId;
        this.instance = instance;
        this.spec = spec;
        this.host = host;
        this.commands = commands;
        this.events = events;
        this.parallel = parallel;
        this.made = made;
    }

    /** The view one step works with: the same cluster, with events tagged by that step. */
    ProvisioningContext forStep(ClusterEvents stepEvents) {
        return new ProvisioningContext(clusterId, instance, spec, host, commands, stepEvents, parallel, made,
                stopRequested);
    }

    /** Whether the replica wants this attempt to end; a step that waits checks it between its waits. */
    public boolean stopRequested() {
        return stopRequested.getAsBoolean();
    }

    /** @throws StoppedException when the replica wants this attempt to end */
    public void stopIfRequested(String what) throws StoppedException {
        if (stopRequested()) {
            throw new StoppedException(what);
        }
    }

    /** The Docker host the cluster was placed on. */
    public DockerHost host() {
        return host;
    }

    /** The engine of the cluster's Docker host. */
    public DockerEngine engine() {
        return host.engine();
    }

    /** Commands in the cluster's containers, on its host's engine. */
    ContainerCommands commands() {
        return commands;
    }

    public String clusterId() {
        return clusterId;
    }

    public ClusterSpec spec() {
        return spec;
    }

    public ClusterEvents events() {
        return events;
    }

    /** One item's share of concurrent work; may fail with a checked exception. */
    public interface Work<T, R> {
        R apply(T item) throws Exception;
    }

    /**
     * Runs {@code work} for every item at once and returns the results in the items' order. When any fails, waits
     * for the rest and throws the first failure as it was thrown (a step's own reason stays readable).
     */
    public <T, R> List<R> forEachConcurrently(List<T> items, Work<T, R> work) throws Exception {
        List<CompletableFuture<R>> futures = items.stream().map(item -> CompletableFuture.supplyAsync(() -> {
            try {
                return work.apply(item);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, parallel)).toList();
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    /** The labels every object of this cluster carries, with its role. */
    public Map<String, String> labels(String role) {
        return Labels.of(instance, clusterId, role);
    }

    public String networkName() {
        return made.networkName;
    }

    void networkName(String networkName) {
        made.networkName = networkName;
    }

    public List<Node> nodes() {
        return made.nodes;
    }

    void nodes(List<Node> nodes) {
        made.nodes = List.copyOf(nodes);
    }

    /** The Docker host's port that the control plane's API server port is published on; 0 before. */
    public int apiServerHostPort() {
        return made.apiServerHostPort;
    }

    void apiServerHostPort(int port) {
        made.apiServerHostPort = port;
    }

    public KubernetesAccess kubernetes() {
        return made.kubernetes;
    }

    void kubernetes(KubernetesAccess access) {
        made.kubernetes = access;
    }

    public List<SupportContainer> supportContainers() {
        return made.supportContainers;
    }

    /** Adds or replaces the support container of its role; DNS64 and NAT64 start at once. */
    void supportContainer(SupportContainer container) {
        synchronized (made) {
            List<SupportContainer> kept = new java.util.ArrayList<>(made.supportContainers.stream()
                    .filter(c -> !c.role().equals(container.role())).toList());
            kept.add(container);
            kept.sort(java.util.Comparator.comparing(SupportContainer::role));
            made.supportContainers = List.copyOf(kept);
        }
    }
}
