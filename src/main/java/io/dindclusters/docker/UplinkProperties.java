package io.dindclusters.docker;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where clusters reach the world besides their own network's gateway.
 *
 * @param uplink an existing Docker network whose hosts clusters must reach directly, such as a lab network or the
 *               internal network of test servers. The NAT64 and DNS64 containers of ipv6 clusters and the nodes of
 *               ipv4 and dual clusters join it; other destinations are reached through the cluster network's
 *               gateway as usual. Unset: no uplink. A host of dind.docker.hosts may name its own.
 */
@ConfigurationProperties("dind.network")
public record UplinkProperties(String uplink) {
}
