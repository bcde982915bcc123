package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterLifecycle;
import io.dindclusters.cluster.ClusterStatus;
import io.dindclusters.docker.DockerEngine;
import io.dindclusters.docker.DockerEngineException;
import io.dindclusters.docker.DockerHost;
import io.dindclusters.docker.DockerHostReturned;
import io.dindclusters.docker.DockerHosts;
import io.dindclusters.docker.DockerProperties;
import io.dindclusters.docker.Labels;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start-up, makes the database and the engine tell the truth again after a previous process stopped mid-way:
 * objects with this instance's labels that no live cluster owns are removed, and the work nobody holds any more
 * (this replica's before it stopped, or a dead replica's) is claimed: clusters left PROVISIONING are torn down and
 * provisioned again (FAILED once they lost dind.provisioning.max-attempts), DELETING ones finish deleting, PENDING
 * ones are provisioned. Other live replicas' work is left alone.
 * A Docker host that cannot be reached is skipped; its orphans are removed when it answers again.
 */
@Component
class StartupReconciler implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(StartupReconciler.class);

    private final ClusterLifecycle lifecycle;
    private final UnattendedWorkClaimer claimer;
    private final DockerHosts hosts;
    private final String instance;

    StartupReconciler(ClusterLifecycle lifecycle, UnattendedWorkClaimer claimer, DockerHosts hosts,
                      DockerProperties docker) {
        this.lifecycle = lifecycle;
        this.claimer = claimer;
        this.hosts = hosts;
        this.instance = docker.instance();
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            reconcile();
        } catch (RuntimeException e) {
            log.error("start-up reconciliation did not finish; it runs again at the next start", e);
        }
    }

    void reconcile() {
        for (DockerHost host : hosts.all()) {
            removeOrphans(host);
        }
        // Work this replica held before it stopped, and work of replicas that died, is taken now rather than at
        // the first periodic look: PROVISIONING is torn down and goes again, DELETING finishes, PENDING provisions.
        claimer.claimUnattendedWork(true);
    }

    @EventListener
    void onHostReturned(DockerHostReturned event) {
        hosts.find(event.host()).ifPresent(this::removeOrphans);
    }

    /**
     * Objects whose cluster is unknown, DELETED or FAILED (unless it kept them, retainOnFailure): such clusters own
     * nothing, so these leaked.
     */
    private void removeOrphans(DockerHost host) {
        try {
            removeOrphans(host.engine());
        } catch (DockerEngineException e) {
            log.warn("Docker host {} cannot be reached; its leftovers are removed once it answers: {}", host,
                    e.getMessage());
        }
    }

    private void removeOrphans(DockerEngine engine) {
        Set<String> orphanClusters = new HashSet<>();
        List<Map<String, String>> labelSets = new java.util.ArrayList<>(engine.containerLabels(Labels.INSTANCE, instance));
        labelSets.addAll(engine.networkLabels(Labels.INSTANCE, instance));
        for (Map<String, String> labels : labelSets) {
            String clusterId = labels.get(Labels.CLUSTER);
            if (clusterId == null) {
                continue;
            }
            Optional<ClusterStatus> status = lifecycle.statusOf(clusterId);
            if (status.isEmpty() || status.get() == ClusterStatus.DELETED
                    || status.get() == ClusterStatus.FAILED && !lifecycle.retainsContainers(clusterId)) {
                orphanClusters.add(clusterId);
            }
        }
        for (String clusterId : orphanClusters) {
            Map<String, String> selector = Labels.ofCluster(instance, clusterId);
            engine.containersLabelled(selector).forEach(engine::removeContainer);
            engine.networksLabelled(selector).forEach(engine::removeNetwork);
            log.info("removed Docker objects of cluster {}, which no live cluster owns", clusterId);
        }
    }
}
