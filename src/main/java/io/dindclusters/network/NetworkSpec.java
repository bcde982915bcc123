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
        Boolean allowAaaaUse) {

    public static final NetworkSpec EMPTY = new NetworkSpec(null, null, null, null, null, null);
}
