package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.cluster.Node;
import io.dindclusters.docker.Labels;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/** What the steps of one cluster's provisioning share: its identity and spec, and what earlier steps made. */
public final class ProvisioningContext {

    private final String clusterId;
    private final String instance;
    private final ClusterSpec spec;
    private final ClusterEvents events;
    private final Executor parallel;
    private volatile String networkName;
    private volatile List<Node> nodes = List.of();

    ProvisioningContext(String clusterId, String instance, ClusterSpec spec, ClusterEvents events, Executor parallel) {
        this.clusterId = clusterId;
        this.instance = instance;
        this.spec = spec;
        this.events = events;
        this.parallel = parallel;
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
        return networkName;
    }

    void networkName(String networkName) {
        this.networkName = networkName;
    }

    public List<Node> nodes() {
        return nodes;
    }

    void nodes(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
    }
}
