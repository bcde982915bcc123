package io.dindclusters.provision;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The provisioner.
 *
 * @param maxConcurrentClusters clusters provisioned at once; more wait in PENDING
 * @param maxConcurrentTeardowns clusters torn down at once
 * @param teardownWait          longest a teardown waits for the cluster's in-flight provisioning step to end
 * @param maxAttempts           provisioning attempts a cluster may lose (its replica died or was killed mid-way)
 *                              before it is FAILED; each lost one is torn down and provisioned again. A step that
 *                              fails fails the cluster at once, and an attempt a draining replica hands back does not
 *                              count.
 */
@ConfigurationProperties("dind.provisioning")
public record ProvisioningProperties(
        @DefaultValue("4") int maxConcurrentClusters,
        @DefaultValue("4") int maxConcurrentTeardowns,
        @DefaultValue("10m") Duration teardownWait,
        @DefaultValue("2") int maxAttempts) {

    public ProvisioningProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("dind.provisioning.max-attempts must be at least 1");
        }
    }
}
