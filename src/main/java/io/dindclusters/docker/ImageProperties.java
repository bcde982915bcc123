package io.dindclusters.docker;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Support images (DNS64, NAT64).
 *
 * @param base         Debian bookworm image they are built on; without a registry, build one locally with
 *                     scripts/ensure-base-image and set localhost/dind-clusters/debian-base:bookworm
 * @param buildTimeout longest one image build may take
 * @param pullMissing  whether a node image the engine lacks is pulled; false for sites that load images themselves
 * @param pullTimeout  longest one pull may take
 */
@ConfigurationProperties("dind.images")
public record ImageProperties(
        @DefaultValue("debian:bookworm-slim") String base,
        @DefaultValue("10m") Duration buildTimeout,
        @DefaultValue("true") boolean pullMissing,
        @DefaultValue("15m") Duration pullTimeout) {
}
