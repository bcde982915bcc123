package io.dindclusters.cluster;

import io.swagger.v3.oas.annotations.media.Schema;

/** A container that runs beside the nodes of an IPv6-only cluster: its DNS64 server or its NAT64 gateway. */
@Schema(description = "The DNS64 server or NAT64 gateway of an IPv6-only cluster, and its addresses.")
public record SupportContainer(
        @Schema(description = "Container name.", example = "ci-1234-dns64") String name,
        @Schema(description = "dns64 or nat64.", example = "dns64") String role,
        @Schema(description = "Address on the cluster network that nodes use: their resolver (DNS64), or the next "
                + "hop of the DNS64 prefix (NAT64).", example = "fd00:d1d:a::100") String ipv6,
        @Schema(description = "Address on the cluster network's IPv4 side (network.supportSubnet), where traffic to "
                + "IPv4 hosts leaves.", example = "10.251.0.2") String ipv4) {

    public static final String DNS64 = "dns64";
    public static final String NAT64 = "nat64";
}
