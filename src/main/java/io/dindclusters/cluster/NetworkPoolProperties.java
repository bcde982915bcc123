package io.dindclusters.cluster;

import io.dindclusters.network.AddressPool;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where clusters whose spec leaves a network field out get their blocks, each {@code CIDR/blockLength}. A block is
 * never given to two clusters that hold addresses, nor where an existing Docker network lies. {@code ipv4Support}
 * (the IPv4 side Docker requires on an IPv6-only cluster's network) and {@code ipv4Nat64} (the NAT64 pool) serve
 * ipMode ipv6 only.
 */
@ConfigurationProperties("dind.network.pools")
public record NetworkPoolProperties(
        @DefaultValue("10.250.0.0/16/24") String ipv4Nodes,
        @DefaultValue("fd00:d1d:a::/48/64") String ipv6Nodes,
        @DefaultValue("10.192.0.0/12/20") String ipv4Pods,
        @DefaultValue("fd00:d1d:b::/48/64") String ipv6Pods,
        @DefaultValue("10.208.0.0/12/20") String ipv4Services,
        @DefaultValue("fd00:d1d:c::/48/112") String ipv6Services,
        @DefaultValue("10.251.0.0/16/28") String ipv4Support,
        @DefaultValue("100.64.0.0/16/24") String ipv4Nat64) {

    public NetworkPoolProperties {
        for (String pool : new String[] {ipv4Nodes, ipv6Nodes, ipv4Pods, ipv6Pods, ipv4Services, ipv6Services,
                ipv4Support, ipv4Nat64}) {
            AddressPool.parse(pool); // fail at start-up, naming the bad pool
        }
    }
}
