package io.dindclusters.cluster;

import io.dindclusters.docker.DockerHost;
import io.dindclusters.docker.DockerHosts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Where a new cluster goes: the Docker hosts that answered their last check and have room for it under their
 * limits, the least loaded (fewest live nodes) first, configured order breaking ties. Runs under the allocation
 * lock, so what it counts does not change before the cluster is inserted.
 */
@Component
class DockerHostPlacement {

    private final DockerHosts hosts;
    /** The failed preflight check of a host that would break a cluster of an address mode, if any. */
    private final java.util.function.BiFunction<String, io.dindclusters.network.IpMode,
            java.util.Optional<io.dindclusters.preflight.PreflightCheck>> blocking;

    @org.springframework.beans.factory.annotation.Autowired
    DockerHostPlacement(DockerHosts hosts, io.dindclusters.preflight.HostPreflight preflight) {
        this(hosts, preflight::blocking);
    }

    DockerHostPlacement(DockerHosts hosts, java.util.function.BiFunction<String, io.dindclusters.network.IpMode,
            java.util.Optional<io.dindclusters.preflight.PreflightCheck>> blocking) {
        this.hosts = hosts;
        this.blocking = blocking;
    }

    /** The start of a reason that is a failed preflight check. */
    static final String PREFLIGHT_FAILED = "failed its preflight check ";

    static final String NOT_PRIVILEGED = "refuses --privileged, so its nodes only get the capabilities profile, in "
            + "which a kind node cannot boot";

    /**
     * @param nodes   the new cluster's nodes
     * @param kubeadm whether the cluster runs Kubernetes: hosts known to refuse privileged nodes cannot take it
     * @param ipMode  its address mode: hosts whose latest preflight found what breaks it cannot take it
     * @param live    clusters holding containers now, on any host
     * @throws NoDockerHostException when no host can take it now, saying why for each
     * @throws KubeadmNeedsPrivilegedException when no host could ever take it: none allows privileged nodes
     * @throws HostPreflightFailedException when every host is out by a failed preflight check
     */
    List<DockerHost> candidates(int nodes, boolean kubeadm, io.dindclusters.network.IpMode ipMode,
                                List<ClusterRow> live) {
        Map<String, String> whyNot = new LinkedHashMap<>();
        boolean anyUnreachable = false;
        List<DockerHost> fit = new ArrayList<>();
        Map<String, Integer> nodesOn = new LinkedHashMap<>();
        for (DockerHost host : hosts.all()) {
            var failedCheck = blocking.apply(host.name(), ipMode);
            DockerHostLoad load = DockerHostLoad.of(host.name(), live);
            int clusters = load.clusters().size();
            int usedNodes = load.nodes();
            nodesOn.put(host.name(), usedNodes);
            DockerHost.Reachability reachability = host.reachability();
            if (!reachability.reachable()) {
                anyUnreachable = true;
                whyNot.put(host.name(), "cannot be reached since " + reachability.since() + ": " + reachability.problem());
            } else if (kubeadm && host.refusesKubeadm()) {
                whyNot.put(host.name(), NOT_PRIVILEGED);
            } else if (failedCheck.isPresent()) {
                var check = failedCheck.get();
                whyNot.put(host.name(), PREFLIGHT_FAILED + check.name() + ": " + check.seen()
                        + (check.fix() == null ? "" : " (fix: " + check.fix() + ")"));
            } else if (host.maxClusters() > 0 && clusters + 1 > host.maxClusters()) {
                whyNot.put(host.name(), "has " + clusters + " live clusters; its max-clusters is " + host.maxClusters());
            } else if (host.maxNodes() > 0 && usedNodes + nodes > host.maxNodes()) {
                whyNot.put(host.name(), "has " + usedNodes + " live nodes and this cluster asks for " + nodes
                        + "; its max-nodes is " + host.maxNodes());
            } else {
                fit.add(host);
            }
        }
        if (fit.isEmpty() && whyNot.values().stream().allMatch(NOT_PRIVILEGED::equals)) {
            throw new KubeadmNeedsPrivilegedException(whyNot);
        }
        if (fit.isEmpty() && whyNot.values().stream().allMatch(why -> why.startsWith(PREFLIGHT_FAILED))) {
            throw new HostPreflightFailedException(whyNot);
        }
        if (fit.isEmpty()) {
            throw new NoDockerHostException(whyNot, anyUnreachable);
        }
        // A stable sort: among equally loaded hosts, the configured order decides.
        fit.sort(Comparator.comparingInt(h -> nodesOn.get(h.name())));
        return fit;
    }
}
