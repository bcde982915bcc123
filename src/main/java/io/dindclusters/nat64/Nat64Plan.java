package io.dindclusters.nat64;

import inet.ipaddr.IPAddress;
import io.dindclusters.network.IpLiterals;
import io.dindclusters.network.NetworkSpec;
import java.util.List;

/**
 * Where the DNS64 server and the NAT64 gateway of an IPv6-only cluster sit and what they translate, derived from the
 * cluster's validated, filled-in network spec. The fixed addresses are the prior art's (::100 and ::200 of the node
 * subnet), so every node can be configured before either container has started.
 *
 * @param dns64Address  the DNS64 server's IPv6 address: every node's only resolver
 * @param nat64Address  the NAT64 gateway's IPv6 address: every node's next hop for {@code prefix}
 * @param prefix        the DNS64/NAT64 prefix IPv4 addresses are embedded in
 * @param pool          the IPv4 pool NAT64 maps IPv6 clients into
 * @param taygaAddress  Tayga's own IPv4 address, the first host of {@code pool}
 * @param remoteServer  the IPv4 DNS server DNS64 forwards to
 * @param allowAaaaUse  whether real AAAA records pass through; false synthesizes every answer
 * @param clients       the networks allowed to query DNS64: the cluster's node and pod subnets
 */
public record Nat64Plan(String dns64Address, String nat64Address, String prefix, String pool, String taygaAddress,
                        String remoteServer, boolean allowAaaaUse, List<String> clients) {

    static final int DNS64_HOST = 0x100;
    static final int NAT64_HOST = 0x200;

    /** @param network a filled-in network spec of an ipv6 cluster (every field set and valid) */
    public static Nat64Plan of(NetworkSpec network) {
        IPAddress subnet = IpLiterals.cidr(network.subnet()).orElseThrow();
        IPAddress pool = IpLiterals.cidr(network.nat64Pool()).orElseThrow();
        List<String> clients = java.util.stream.Stream.of(network.subnet(), network.podSubnet())
                .map(c -> IpLiterals.cidr(c).orElseThrow().toCompressedString()).toList();
        return new Nat64Plan(host(subnet, DNS64_HOST), host(subnet, NAT64_HOST),
                IpLiterals.cidr(network.dns64Prefix()).orElseThrow().toCompressedString(), pool.toCompressedString(),
                host(pool, 1), IpLiterals.address(network.remoteDns64V4Server()).orElseThrow().toCompressedString(),
                Boolean.TRUE.equals(network.allowAaaaUse()), clients);
    }

    private static String host(IPAddress block, long offset) {
        return block.getLower().withoutPrefixLength().increment(offset).toCompressedString();
    }
}
