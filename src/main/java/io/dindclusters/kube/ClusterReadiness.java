package io.dindclusters.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Waits until a cluster is usable: every expected node registered and Ready, a Ready kube-proxy pod on each, and a
 * Ready CoreDNS pod (a pod can be Running and not Ready: CoreDNS without a working pod network is). Polls the API
 * server with a short backoff until a deadline; says what it waits for when that
 * changes, and on the deadline fails with every node's conditions.
 */
public final class ClusterReadiness {

    /** The cluster did not become usable in time; the message has the nodes' conditions. */
    public static class NotReadyException extends Exception {
        public NotReadyException(String message) {
            super(message);
        }
    }

    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private ClusterReadiness() {
    }

    public static void await(KubernetesClient client, List<String> nodeNames, Duration deadline,
                             Consumer<String> progress) throws NotReadyException, InterruptedException {
        await(client, nodeNames, deadline, progress, () -> false);
    }

    /** The same, ending early (NotReadyException) once {@code stopped} says so, checked between polls. */
    public static void await(KubernetesClient client, List<String> nodeNames, Duration deadline,
                             Consumer<String> progress, java.util.function.BooleanSupplier stopped)
            throws NotReadyException, InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        long backoff = FIRST_BACKOFF_MILLIS;
        String lastWaitingFor = null;
        while (true) {
            String waitingFor;
            try {
                waitingFor = missing(client, nodeNames).orElse(null);
            } catch (KubernetesClientException e) {
                waitingFor = "the API server (" + firstLine(e.getMessage()) + ")";
            }
            if (waitingFor == null) {
                progress.accept((nodeNames.size() == 1 ? "the node" : "all " + nodeNames.size() + " nodes")
                        + " Ready; kube-proxy and CoreDNS Ready");
                return;
            }
            if (!waitingFor.equals(lastWaitingFor)) {
                progress.accept("waiting for " + waitingFor);
                lastWaitingFor = waitingFor;
            }
            if (System.nanoTime() + backoff * 1_000_000 > end) {
                throw new NotReadyException("not ready after " + deadline.toSeconds() + " s, waiting for "
                        + waitingFor + "; node conditions: " + conditions(client, nodeNames));
            }
            Thread.sleep(backoff);
            if (stopped.getAsBoolean()) {
                throw new NotReadyException("the wait was stopped while waiting for " + waitingFor);
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    /** What the cluster still lacks, or empty when it is usable. */
    static Optional<String> missing(KubernetesClient client, List<String> nodeNames) {
        Map<String, Node> nodes = client.nodes().list().getItems().stream()
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n, (a, b) -> a));
        List<String> notReady = nodeNames.stream().filter(name -> !isReady(nodes.get(name))).toList();
        if (!notReady.isEmpty()) {
            return Optional.of("node" + (notReady.size() == 1 ? " " : "s ") + String.join(", ", notReady) + " Ready");
        }
        List<Pod> proxies = pods(client, "kube-proxy").stream().filter(ClusterReadiness::isReady).toList();
        long proxied = nodeNames.stream().filter(name -> proxies.stream()
                .anyMatch(p -> name.equals(p.getSpec().getNodeName()))).count();
        if (proxied < nodeNames.size()) {
            return Optional.of("kube-proxy Ready on every node (" + proxied + " of " + nodeNames.size() + ")");
        }
        List<Pod> dns = pods(client, "kube-dns");
        if (dns.stream().noneMatch(ClusterReadiness::isReady)) {
            return Optional.of("CoreDNS Ready" + problems(dns));
        }
        return Optional.empty();
    }

    private static List<Pod> pods(KubernetesClient client, String app) {
        return client.pods().inNamespace("kube-system").withLabel("k8s-app", app).list().getItems();
    }

    /** Whether the pod's Ready condition is True. */
    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** " (pod: phase, message)" for each pod, so a sandbox that cannot be made shows why. */
    private static String problems(List<Pod> pods) {
        List<String> problems = pods.stream().map(p -> p.getMetadata().getName() + ": "
                + (p.getStatus() == null ? "no status" : p.getStatus().getPhase()
                + (p.getStatus().getConditions() == null ? "" : p.getStatus().getConditions().stream()
                        .filter(c -> c.getMessage() != null).map(c -> ", " + c.getMessage())
                        .collect(Collectors.joining())))).toList();
        return problems.isEmpty() ? " (no pod yet)" : " (" + String.join("; ", problems) + ")";
    }

    private static boolean isReady(Node node) {
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Each expected node's conditions that are not as they should be, or "not registered". */
    private static String conditions(KubernetesClient client, List<String> nodeNames) {
        try {
            Map<String, String> byNode = new TreeMap<>();
            Map<String, Node> nodes = client.nodes().list().getItems().stream()
                    .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n, (a, b) -> a));
            for (String name : nodeNames) {
                Node node = nodes.get(name);
                if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
                    byNode.put(name, "not registered");
                    continue;
                }
                byNode.put(name, node.getStatus().getConditions().stream().map(ClusterReadiness::describe)
                        .collect(Collectors.joining(", ")));
            }
            return byNode.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining("; "));
        } catch (KubernetesClientException e) {
            return "unknown, the API server did not answer (" + firstLine(e.getMessage()) + ")";
        }
    }

    private static String describe(NodeCondition c) {
        return c.getType() + "=" + c.getStatus() + (c.getReason() == null ? "" : " (" + c.getReason()
                + (c.getMessage() == null ? "" : ": " + c.getMessage()) + ")");
    }

    private static String firstLine(String message) {
        return message == null ? "no message" : message.lines().findFirst().orElse("").strip();
    }
}
