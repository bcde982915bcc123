package io.dindclusters.docker;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One Docker engine clusters may be placed on ({@code dind.docker.hosts[i]}). Unset publishing and uplink settings
 * fall back to {@code dind.kubernetes.*} and {@code dind.network.uplink}.
 *
 * @param name             how the service and its users call the host: lower-case letters, digits and '-', unique
 * @param url              engine address: unix:///var/run/docker.sock, or tcp://host:2376 (with TLS: set certPath)
 * @param certPath         folder with ca.pem, cert.pem and key.pem for TLS with client certificates; unset: no TLS
 * @param maxClusters      most live clusters placed on this host; 0: no limit
 * @param maxNodes         most live node containers on this host; 0: no limit
 * @param apiServerAddress address on this host that API servers are published on; unset: dind.kubernetes's
 * @param kubeconfigHost   name users (and the service) reach this host's published API servers by; unset:
 *                         dind.kubernetes.kubeconfig-host, else apiServerAddress
 * @param uplink           a Docker network on this host that clusters join (see dind.network.uplink); unset: that
 * @param nodeSecurity     node security on this host; unset: dind.docker.node-security
 * @param apiServerAddressIpv6 address on this host that API servers of ipv6 clusters are published on; unset:
 *                         dind.kubernetes's
 * @param unprivilegedKubeadm bootstrap kubeadm under the capabilities profile anyway; unset: dind.docker's
 */
public record DockerHostProperties(
        String name,
        String url,
        String certPath,
        @DefaultValue("0") int maxClusters,
        @DefaultValue("0") int maxNodes,
        String apiServerAddress,
        String kubeconfigHost,
        String uplink,
        NodeSecurity nodeSecurity,
        String apiServerAddressIpv6,
        Boolean unprivilegedKubeadm) {
}
