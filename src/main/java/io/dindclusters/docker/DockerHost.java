package io.dindclusters.docker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Docker engine clusters are placed on, with what belongs to it alone: its client, its support images, its
 * node security, where its API servers are published, its uplink, its limits, and whether it answered lately.
 */
public final class DockerHost {

    /** What the last check of the host found; {@code since} is when that became true. */
    public record Reachability(boolean reachable, Instant since, String problem) {
    }

    /**
     * Where control planes publish their API server port on this host ({@code address}), and the name users and the
     * service reach it by ({@code userHost}), for one address family: Docker forwards a published port to the
     * container's address of the address's family, so ipv6 clusters, whose nodes have no IPv4, publish on IPv6.
     */
    public record Publishing(String address, String userHost) {
    }

    /**
     * Pings run here so that a check can give up on an engine that accepted the connection but does not answer (a
     * half-open connection keeps a call waiting until the response timeout). Daemon threads; a hung ping ends at
     * the response timeout at the latest.
     */
    private static final ExecutorService PINGS = Executors.newCachedThreadPool(new org.springframework.scheduling
            .concurrent.CustomizableThreadFactory("docker-ping-") {
        {
            setDaemon(true);
        }
    });

    private final String name;
    private final String url;
    private final DockerEngine engine;
    private final SupportImages images;
    private final NodeSecurityResolver nodeSecurity;
    private final int maxClusters;
    private final int maxNodes;
    private final Publishing publishing;
    private final Publishing publishingIpv6;
    private final boolean unprivilegedKubeadm;
    private final List<String> uplinkNetworks;
    private final Duration checkDeadline;
    private volatile Reachability reachability;
    /** When a ping or a call last told whether the engine answers; null before the first. */
    private volatile Instant lastChecked;
    private volatile EngineFacts facts;

    DockerHost(String name, String url, DockerEngine engine, SupportImages images, NodeSecurityResolver nodeSecurity,
               int maxClusters, int maxNodes, Publishing publishing, Publishing publishingIpv6, String uplink,
               Duration checkDeadline, boolean unprivilegedKubeadm) {
        this.checkDeadline = checkDeadline;
        this.name = name;
        this.url = url;
        this.engine = engine;
        this.images = images;
        this.nodeSecurity = nodeSecurity;
        this.maxClusters = maxClusters;
        this.maxNodes = maxNodes;
        this.publishing = publishing;
        this.publishingIpv6 = publishingIpv6;
        this.unprivilegedKubeadm = unprivilegedKubeadm;
        this.uplinkNetworks = uplink == null || uplink.isBlank() ? List.of() : List.of(uplink);
        // Until the first check says otherwise, a host counts as reachable: placement finds out soon enough.
        this.reachability = new Reachability(true, Instant.now(), null);
    }

    public String name() {
        return name;
    }

    /** The engine's address as configured; "default" for the process's DOCKER_HOST or the local socket. */
    public String url() {
        return url;
    }

    public DockerEngine engine() {
        return engine;
    }

    public SupportImages images() {
        return images;
    }

    public NodeSecurityResolver nodeSecurity() {
        return nodeSecurity;
    }

    /** Most live clusters on this host; 0: no limit. */
    public int maxClusters() {
        return maxClusters;
    }

    /** Most live node containers on this host; 0: no limit. */
    public int maxNodes() {
        return maxNodes;
    }

    /** Where a control plane of a cluster of this mode publishes its API server: IPv6 for ipv6 clusters. */
    public Publishing publishing(io.dindclusters.network.IpMode mode) {
        return mode == io.dindclusters.network.IpMode.ipv6 ? publishingIpv6 : publishing;
    }

    /** Whether bootstrap kubeadm may run under the capabilities profile (unsupported for real kind images). */
    public boolean unprivilegedKubeadm() {
        return unprivilegedKubeadm;
    }

    /**
     * Whether this host is known to give nodes only the capabilities profile, in which kind nodes cannot boot (and
     * kubeadm is not allowed there anyway). Unknown until configured or probed: create-nodes then decides.
     */
    public boolean refusesKubeadm() {
        return !unprivilegedKubeadm && nodeSecurity.known().orElse(null) == NodeSecurity.capabilities;
    }

    /** Networks on this host that clusters join besides their own: the uplink, when there is one. */
    public List<String> uplinkNetworks() {
        return uplinkNetworks;
    }

    /** The engine's storage and user-namespace facts, asked once (they change only with a daemon restart). */
    public EngineFacts facts() {
        EngineFacts known = facts;
        if (known == null) {
            known = engine.facts();
            facts = known;
        }
        return known;
    }

    public Reachability reachability() {
        return reachability;
    }

    /** When the last check (or failed call) was; null while the host has not been checked yet. */
    public Instant lastChecked() {
        return lastChecked;
    }

    /**
     * Pings the engine, giving up after the check deadline, and records the answer.
     *
     * @return true when this check changed whether the host is reachable
     */
    public boolean check() {
        boolean reachable = false;
        String problem = null;
        Future<?> ping = PINGS.submit(engine::ping);
        try {
            ping.get(checkDeadline.toMillis(), TimeUnit.MILLISECONDS);
            reachable = true;
        } catch (ExecutionException e) {
            problem = e.getCause().getMessage();
        } catch (TimeoutException e) {
            ping.cancel(true);
            problem = "the Docker engine did not answer a ping within " + checkDeadline.toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return record(reachable, problem);
    }

    /** Records that a call just failed because the engine could not be reached; the next check may undo it. */
    public void markUnreachable(String problem) {
        record(false, problem);
    }

    /** Records what was found; {@code since} moves only when reachability changes. Returns whether it did. */
    private boolean record(boolean reachable, String problem) {
        Reachability before = reachability;
        boolean changed = before.reachable() != reachable;
        reachability = new Reachability(reachable, changed ? Instant.now() : before.since(), problem);
        lastChecked = Instant.now();
        return changed;
    }

    @Override
    public String toString() {
        return name + " (" + url + ")";
    }
}
