package io.dindclusters.network;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

/**
 * The network part of a cluster spec. Every field is optional; CIDR fields take one CIDR of the cluster's family, or
 * in {@code dual} mode a comma-separated IPv4 and IPv6 pair (primary family first), as kubeadm does.
 */
@Schema(description = "Network settings; every field is optional and validated against ipMode.")
public record NetworkSpec(
        @Schema(description = "Node network CIDR (dual: 'IPv4,IPv6' pair). IPv4 /8 to /28, IPv6 /48 to /112.",
                example = "10.201.0.0/24")
        @Size(max = 100) String subnet,
        @Schema(description = "Pod network CIDR, carved into one prefix per node (dual: pair). IPv4 /8 to /20, IPv6 /48 to /104.",
                example = "10.244.0.0/16")
        @Size(max = 100) String podSubnet,
        @Schema(description = "Service CIDR (dual: pair). IPv4 /12 to /24; IPv6 /108 to /120 (the API server refuses larger than /108).",
                example = "10.96.0.0/16")
        @Size(max = 100) String serviceCidr,
        @Schema(description = "DNS64/NAT64 prefix, ipMode ipv6 only. RFC 6052 lengths: /32, /40, /48, /56, /64, /96.",
                example = "fd00:10:64:ff9b::/96")
        @Size(max = 100) String dns64Prefix,
        @Schema(description = "IPv4 address of the DNS server the DNS64 server forwards to, ipMode ipv6 only.",
                example = "192.0.2.53")
        @Size(max = 100) String remoteDns64V4Server,
        @Schema(description = "ipMode ipv6 only: true returns real AAAA records as they are; false synthesizes every "
                + "answer from A records so all traffic goes through NAT64.", example = "false")
        Boolean allowAaaaUse,
        @Schema(description = "ipMode ipv6 only: the IPv4 subnet Docker requires on the node network. Only the DNS64 and "
                + "NAT64 containers keep an address in it; the nodes drop theirs. IPv4 /16 to /28.",
                example = "10.251.0.0/28")
        @Size(max = 100) String supportSubnet,
        @Schema(description = "ipMode ipv6 only: the IPv4 pool NAT64 maps IPv6 clients into before masquerading them "
                + "out of its IPv4 side. IPv4 /16 to /28.", example = "100.64.0.0/24")
        @Size(max = 100) String nat64Pool) {

    public static final NetworkSpec EMPTY = new NetworkSpec(null, null, null, null, null, null, null, null);

    /** This spec with the DNS64 settings replaced. */
    public NetworkSpec withDns64(String prefix, String remoteServer, Boolean allowAaaa) {
        return new NetworkSpec(subnet, podSubnet, serviceCidr, prefix, remoteServer, allowAaaa, supportSubnet, nat64Pool);
    }
}
