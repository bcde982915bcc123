package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterLifecycle;
import io.dindclusters.cluster.ClusterStatus;
import io.dindclusters.docker.DockerHosts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This replica's part in sharing the work: a heartbeat that keeps its claims alive, and a periodic look for work
 * nobody holds (requests another replica accepted but could not start, this replica's own from before a restart,
 * the work of replicas whose lease ran out because they died, and what a draining replica handed back).
 */
@Component
class UnattendedWorkClaimer {

    private static final Logger log = LoggerFactory.getLogger(UnattendedWorkClaimer.class);
    private static final int BATCH = 20;

    private final ClusterLifecycle lifecycle;
    private final DockerHosts hosts;
    private final ClusterProvisioner provisioner;
    private final ReplicaProperties replica;

    UnattendedWorkClaimer(ClusterLifecycle lifecycle, ClusterProvisioner provisioner, ReplicaProperties replica,
                          DockerHosts hosts) {
        this.hosts = hosts;
        this.lifecycle = lifecycle;
        this.provisioner = provisioner;
        this.replica = replica;
    }

    @Scheduled(fixedDelayString = "${dind.replica.heartbeat-interval:10s}")
    void renewClaims() {
        try {
            lifecycle.renewClaims(replica.id(), replica.lease());
        } catch (RuntimeException e) {
            log.warn("could not renew this replica's claims: {}", e.toString());
        }
    }

    @Scheduled(initialDelayString = "${dind.replica.claim-interval:2s}", fixedDelayString = "${dind.replica.claim-interval:2s}")
    void claimUnattendedWork() {
        claimUnattendedWork(false);
    }

    /**
     * Claims work nobody holds: PENDING provisions, DELETING finishes, PROVISIONING (its replica stopped) is torn
     * down and provisioned again. A draining replica claims nothing.
     *
     * @param now true at start-up: PROVISIONING and DELETING work is finished on this thread, so the cluster states
     *            are true before the service serves; PENDING work still goes to the pool
     */
    void claimUnattendedWork(boolean now) {
        if (provisioner.isDraining()) {
            return;
        }
        try {
            for (String[] work : lifecycle.claimableWork(replica.id(), BATCH)) {
                String id = work[0];
                if (work[1].equals(ClusterStatus.DELETING.name()) && !hostAnswers(work[2])) {
                    continue; // a teardown there could only fail; it is claimed once the host answers again
                }
                if (provisioner.isBusy(id) || !lifecycle.claim(id, replica.id(), replica.lease())) {
                    continue;
                }
                switch (ClusterStatus.valueOf(work[1])) {
                    case PENDING -> provisioner.submitProvisioning(id);
                    case DELETING -> {
                        if (now) {
                            provisioner.tearDownClaimed(id);
                        } else {
                            provisioner.submitTeardown(id);
                        }
                    }
                    case PROVISIONING -> {
                        if (now) {
                            provisioner.recover(id, work[3]);
                        } else {
                            provisioner.submitRecovery(id, work[3]);
                        }
                    }
                    default -> lifecycle.releaseClaim(id, replica.id());
                }
            }
        } catch (RuntimeException e) {
            log.warn("could not look for unclaimed work: {}", e.toString());
        }
    }

    /** A host that is configured and answered its last check; an unconfigured one lets the teardown say so. */
    private boolean hostAnswers(String host) {
        return hosts.find(host).map(h -> h.reachability().reachable()).orElse(true);
    }
}
