package io.dindclusters.cluster;

import inet.ipaddr.IPAddress;
import io.dindclusters.docker.DockerHost;
import io.dindclusters.network.AddressFamily;
import io.dindclusters.network.AddressPool;
import io.dindclusters.network.BlockAllocator;
import io.dindclusters.network.IpLiterals;
import io.dindclusters.network.IpMode;
import io.dindclusters.network.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Fills in the node, pod and service networks a spec left out, from the configured pools, and refuses explicit ones
 * that overlap another cluster on the same Docker host. What is taken is derived each time from the database
 * (clusters on that host that hold addresses) and the host's engine (its networks), so it survives restarts; clusters
 * on different hosts never meet, so they may use the same blocks. Callers serialize allocation with insertion.
 */
@Component
class SubnetAllocator {

    /** An address range in use, and who uses it, for messages. */
    private record Taken(IPAddress cidr, String owner) {
    }

    /**
     * One CIDR field of a spec, with its pools. Node and support subnets become Docker networks; {@code ipv6Only}
     * fields are single IPv4 blocks that only IPv6-only clusters have.
     */
    private record Field(String name, Function<NetworkSpec, String> value, AddressPool ipv4, AddressPool ipv6,
                         boolean isDockerNetwork, boolean ipv6Only) {
        AddressPool pool(AddressFamily family) {
            return family == AddressFamily.IPV4 ? ipv4 : ipv6;
        }

        List<AddressFamily> families(IpMode mode) {
            if (ipv6Only) {
                return mode == IpMode.ipv6 ? List.of(AddressFamily.IPV4) : List.of();
            }
            return mode.families();
        }
    }

    private final List<Field> fields;

    SubnetAllocator(NetworkPoolProperties pools) {
        this.fields = List.of(
                new Field("network.subnet", NetworkSpec::subnet,
                        AddressPool.parse(pools.ipv4Nodes()), AddressPool.parse(pools.ipv6Nodes()), true, false),
                new Field("network.podSubnet", NetworkSpec::podSubnet,
                        AddressPool.parse(pools.ipv4Pods()), AddressPool.parse(pools.ipv6Pods()), false, false),
                new Field("network.serviceCidr", NetworkSpec::serviceCidr,
                        AddressPool.parse(pools.ipv4Services()), AddressPool.parse(pools.ipv6Services()), false, false),
                new Field("network.supportSubnet", NetworkSpec::supportSubnet,
                        AddressPool.parse(pools.ipv4Support()), null, true, true),
                new Field("network.nat64Pool", NetworkSpec::nat64Pool,
                        AddressPool.parse(pools.ipv4Nat64()), null, false, true));
    }

    /**
     * The spec's network with every CIDR field set, for a cluster on {@code host}.
     *
     * @param live clusters holding addresses now, on any host
     */
    NetworkSpec complete(ClusterSpec spec, DockerHost host, List<ClusterRow> live) {
        NetworkSpec network = spec.networkOrEmpty();
        List<Taken> clusters = takenByClusters(DockerHostLoad.of(host.name(), live).clusters());
        List<Taken> dockerNetworks = takenByDockerNetworks(host);
        // Everything a new block must avoid; grows with this spec's own explicit and allocated blocks.
        List<IPAddress> avoid = new ArrayList<>();
        clusters.forEach(t -> avoid.add(t.cidr()));
        dockerNetworks.forEach(t -> avoid.add(t.cidr()));
        for (Field field : fields) {
            for (IPAddress cidr : IpLiterals.cidrs(field.value().apply(network))) {
                refuseOverlap(field, cidr, clusters);
                if (field.isDockerNetwork()) {
                    refuseOverlap(field, cidr, dockerNetworks);
                }
                avoid.add(cidr);
            }
        }
        String[] values = new String[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            values[i] = field.value().apply(network);
            if (values[i] != null) {
                continue;
            }
            List<String> blocks = new ArrayList<>();
            for (AddressFamily family : field.families(spec.ipMode())) {
                AddressPool pool = field.pool(family);
                IPAddress block = BlockAllocator.firstFree(pool, avoid).orElseThrow(() -> exhausted(field.name(), pool));
                avoid.add(block);
                blocks.add(block.toCompressedString());
            }
            values[i] = blocks.isEmpty() ? null : String.join(",", blocks);
        }
        return new NetworkSpec(values[0], values[1], values[2], network.dns64Prefix(),
                network.remoteDns64V4Server(), network.allowAaaaUse(), values[3], values[4]);
    }

    private static void refuseOverlap(Field field, IPAddress cidr, List<Taken> taken) {
        taken.stream().filter(t -> t.cidr().overlaps(cidr)).findFirst().ifPresent(t -> {
            throw overlap(field.name(), t.owner());
        });
    }

    private List<Taken> takenByClusters(List<ClusterRow> live) {
        List<Taken> taken = new ArrayList<>();
        for (ClusterRow row : live) {
            NetworkSpec network = row.spec().networkOrEmpty();
            String owner = "cluster '" + row.name() + "' (" + row.id() + ")";
            for (Field field : fields) {
                IpLiterals.cidrs(field.value().apply(network)).forEach(c -> taken.add(new Taken(c, owner)));
            }
        }
        return taken;
    }

    private List<Taken> takenByDockerNetworks(DockerHost host) {
        List<Taken> taken = new ArrayList<>();
        for (Map.Entry<String, List<String>> network : host.engine().networkSubnets().entrySet()) {
            for (String subnet : network.getValue()) {
                IpLiterals.cidr(subnet).ifPresent(c -> taken.add(
                        new Taken(c.toPrefixBlock(), "Docker network '" + network.getKey() + "' on host " + host.name())));
            }
        }
        return taken;
    }

    private static ClusterConflictException overlap(String field, String owner) {
        return new ClusterConflictException("Addresses in use",
                field + " overlaps addresses of " + owner + "; choose another range or leave the field out to get a free one.");
    }

    private static ErrorResponseException exhausted(String field, AddressPool pool) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "No free /" + pool.blockLength() + " is left in " + pool.range().toCompressedString() + " for " + field
                        + "; delete clusters, or widen the pool in dind.network.pools.");
        problem.setTitle("Address pool exhausted");
        return new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
    }
}
