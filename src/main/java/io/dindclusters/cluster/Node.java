package io.dindclusters.cluster;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One node container of a cluster and the addresses it got on the cluster network. */
@Schema(description = "A node container of the cluster.")
public record Node(
        @Schema(description = "Node and container name.", example = "ci-1234-control-plane") String name,
        @Schema(description = "control-plane or worker.", example = "control-plane") String role,
        @Schema(description = "IPv4 address on the cluster network; absent on IPv6-only nodes.", example = "172.18.0.2")
        String ipv4,
        @Schema(description = "IPv6 address on the cluster network; absent on IPv4-only nodes.", example = "fd00:10::2")
        String ipv6,
        @Schema(description = "This node's share of the pod subnet (dual: one per family); every other node routes "
                + "it via this node's address.", example = "[\"10.192.1.0/24\"]")
        List<String> podPrefixes) {

    public static final String CONTROL_PLANE = "control-plane";
    public static final String WORKER = "worker";
}
