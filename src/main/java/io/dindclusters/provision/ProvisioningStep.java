package io.dindclusters.provision;

import io.dindclusters.cluster.ClusterSpec;

/** One named action of the provisioning pipeline; the pipeline runs them in their {@code @Order}. */
public interface ProvisioningStep {

    /** Short kebab-case name, shown in events and metrics. */
    String name();

    default boolean appliesTo(ClusterSpec spec) {
        return true;
    }

    void run(ProvisioningContext context) throws Exception;
}
