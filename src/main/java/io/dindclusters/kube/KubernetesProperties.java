package io.dindclusters.kube;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Kubernetes clusters (bootstrap kubeadm).
 *
 * @param apiServerAddress host address the control plane's API server port is published on, at a free port, for
 *                         ipv4 and dual clusters; a Docker host of dind.docker.hosts may set its own
 * @param apiServerAddressIpv6 the same for ipv6 clusters, which have no IPv4 address that Docker could forward to;
 *                         unset: {@code ::} when apiServerAddress listens everywhere, else {@code ::1}
 * @param kubeconfigHost   host name or address written as {@code server:} in kubeconfigs users download, for users
 *                         on other machines; unset: {@code apiServerAddress}. Added to the certificate's names. A
 *                         Docker host of dind.docker.hosts may set its own.
 * @param systemdTimeout   longest a node's systemd may take to come up
 * @param commandTimeout   longest one kubeadm or kubectl command may run
 * @param readyTimeout     longest to wait for every node Ready and kube-proxy and CoreDNS Ready
 * @param httpProxy        HTTP_PROXY for the nodes' image pulls (as kind passes it); unset: none
 * @param httpsProxy       HTTPS_PROXY likewise
 * @param noProxy          NO_PROXY likewise; the cluster's own subnets and service domains are added to it
 */
@ConfigurationProperties("dind.kubernetes")
public record KubernetesProperties(
        @DefaultValue("127.0.0.1") String apiServerAddress,
        String apiServerAddressIpv6,
        String kubeconfigHost,
        @DefaultValue("60s") Duration systemdTimeout,
        @DefaultValue("10m") Duration commandTimeout,
        @DefaultValue("5m") Duration readyTimeout,
        String httpProxy,
        String httpsProxy,
        String noProxy) {

    private static final java.util.regex.Pattern HOST_NAME =
            java.util.regex.Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$");

    public KubernetesProperties {
        checkPublishing("dind.kubernetes", apiServerAddress, kubeconfigHost);
        if (apiServerAddressIpv6 != null && !apiServerAddressIpv6.isBlank()) {
            checkIpv6Publishing("dind.kubernetes", apiServerAddressIpv6, kubeconfigHost);
        }
    }

    /** The IPv6 publishing address that goes with an IPv4 one when none is set: everywhere, or loopback. */
    public static String ipv6Counterpart(String apiServerAddress) {
        return io.dindclusters.network.IpLiterals.address(apiServerAddress).map(a -> a.isAnyLocal()).orElse(false)
                ? "::" : "::1";
    }

    /** As {@link #checkPublishing}, for the address ipv6 clusters publish on, which must be an IPv6 address. */
    public static void checkIpv6Publishing(String prefix, String apiServerAddressIpv6, String kubeconfigHost) {
        var address = io.dindclusters.network.IpLiterals.address(apiServerAddressIpv6);
        if (address.isEmpty() || !address.get().isIPv6()) {
            throw new IllegalArgumentException(prefix + ".api-server-address-ipv6 must be an IPv6 address");
        }
        checkPublishing(prefix, apiServerAddressIpv6, kubeconfigHost);
    }

    /**
     * Refuses an API server address that is no IP address, a kubeconfig host that is neither a host name nor an
     * address, and an address that listens everywhere without a kubeconfig host to tell users.
     *
     * @param prefix the properties' prefix, for the message
     */
    public static void checkPublishing(String prefix, String apiServerAddress, String kubeconfigHost) {
        var address = io.dindclusters.network.IpLiterals.address(apiServerAddress);
        if (address.isEmpty()) {
            throw new IllegalArgumentException(prefix + ".api-server-address must be an IP address");
        }
        if (kubeconfigHost != null && !kubeconfigHost.isBlank()
                && io.dindclusters.network.IpLiterals.address(kubeconfigHost).isEmpty()
                && !HOST_NAME.matcher(kubeconfigHost).matches()) {
            throw new IllegalArgumentException(prefix + ".kubeconfig-host must be a host name or an IP address");
        }
        if (address.get().isAnyLocal() && (kubeconfigHost == null || kubeconfigHost.isBlank())) {
            throw new IllegalArgumentException(prefix + ".api-server-address(-ipv6) " + apiServerAddress
                    + " listens everywhere: set " + prefix + ".kubeconfig-host to the name users reach this host by");
        }
    }
}
