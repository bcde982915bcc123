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
 */
@ConfigurationProperties("dind.provisioning")
public record ProvisioningProperties(
        @DefaultValue("4") int maxConcurrentClusters,
        @DefaultValue("4") int maxConcurrentTeardowns,
        @DefaultValue("10m") Duration teardownWait) {
}
