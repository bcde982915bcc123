package io.dindclusters.provision;

import io.dindclusters.cluster.Cluster;
import io.dindclusters.cluster.ClusterLifecycle;
import io.dindclusters.cluster.ClusterStatus;
import io.dindclusters.docker.DockerEngine;
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
import org.springframework.stereotype.Component;

/**
 * At start-up, makes the database and the engine tell the truth again after a previous process stopped mid-way:
 * clusters left PROVISIONING are torn down and FAILED, clusters left DELETING finish deleting, PENDING ones are
 * provisioned, and objects with this instance's labels that no cluster owns are removed.
 */
@Component
class StartupReconciler implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(StartupReconciler.class);

    private final ClusterLifecycle lifecycle;
    private final ClusterProvisioner provisioner;
    private final DockerEngine engine;
    private final String instance;

    StartupReconciler(ClusterLifecycle lifecycle, ClusterProvisioner provisioner, DockerEngine engine,
                      DockerProperties docker) {
        this.lifecycle = lifecycle;
        this.provisioner = provisioner;
        this.engine = engine;
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
        for (Cluster cluster : lifecycle.clustersIn(ClusterStatus.PROVISIONING)) {
            if (provisioner.isActive(cluster.id())) {
                continue;
            }
            String reason = "the service stopped while provisioning this cluster";
            try {
                provisioner.tearDownNow(cluster.id());
                reason += "; its containers and networks were removed at restart";
            } catch (StepRunner.StepFailure failure) {
                reason += "; removing its objects at restart failed: " + failure.getMessage();
            }
            lifecycle.move(cluster.id(), ClusterStatus.PROVISIONING, ClusterStatus.FAILED, reason);
        }
        for (Cluster cluster : lifecycle.clustersIn(ClusterStatus.DELETING)) {
            try {
                provisioner.tearDownNow(cluster.id());
                lifecycle.move(cluster.id(), ClusterStatus.DELETING, ClusterStatus.DELETED,
                        "deletion finished after a restart");
            } catch (StepRunner.StepFailure failure) {
                lifecycle.move(cluster.id(), ClusterStatus.DELETING, ClusterStatus.FAILED,
                        "teardown after a restart " + failure.getMessage() + "; DELETE the cluster again to retry");
            }
        }
        removeOrphans();
        for (Cluster cluster : lifecycle.clustersIn(ClusterStatus.PENDING)) {
            provisioner.submitProvisioning(cluster.id());
        }
    }

    /** Objects whose cluster is unknown, FAILED or DELETED: such clusters own nothing, so these leaked. */
    private void removeOrphans() {
        Set<String> orphanClusters = new HashSet<>();
        List<Map<String, String>> labelSets = new java.util.ArrayList<>(engine.containerLabels(Labels.INSTANCE, instance));
        labelSets.addAll(engine.networkLabels(Labels.INSTANCE, instance));
        for (Map<String, String> labels : labelSets) {
            String clusterId = labels.get(Labels.CLUSTER);
            if (clusterId == null) {
                continue;
            }
            Optional<ClusterStatus> status = lifecycle.statusOf(clusterId);
            if (status.isEmpty() || status.get() == ClusterStatus.FAILED || status.get() == ClusterStatus.DELETED) {
                orphanClusters.add(clusterId);
            }
        }
        for (String clusterId : orphanClusters) {
            Map<String, String> selector = Map.of(Labels.INSTANCE, instance, Labels.CLUSTER, clusterId);
            engine.containersLabelled(selector).forEach(engine::removeContainer);
            engine.networksLabelled(selector).forEach(engine::removeNetwork);
            log.info("removed Docker objects of cluster {}, which no live cluster owns", clusterId);
        }
    }
}
