package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;

/**
 * One named action of the provisioning pipeline. Stages run in ascending order; the steps of one stage run at the
 * same time (the DNS64 and NAT64 containers start while the nodes are created), and the next stage begins when all
 * of them have finished.
 */
public interface ProvisioningStep {

    /** Short kebab-case name, shown in events and metrics. */
    String name();

    /** When the step runs: after every step of a lower stage, beside those of the same stage. */
    int stage();

    default boolean appliesTo(ClusterSpec spec) {
        return true;
    }

    void run(ProvisioningContext context) throws Exception;
}
