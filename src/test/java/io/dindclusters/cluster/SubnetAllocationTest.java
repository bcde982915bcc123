package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Network;
import inet.ipaddr.IPAddress;
import io.dindclusters.docker.DockerProperties;
import io.dindclusters.docker.Labels;
import io.dindclusters.network.AddressPool;
import io.dindclusters.network.IpLiterals;
import io.dindclusters.support.Api;
import io.dindclusters.support.ServiceTest;
import io.dindclusters.support.TestDocker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Node, pod and service networks a spec leaves out come from the pools, disjoint from everything in use. */
@ServiceTest
class SubnetAllocationTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    @LocalServerPort
    int port;
    @Autowired
    DockerProperties docker;
    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    private static List<IPAddress> cidrs(JsonNode network) {
        List<IPAddress> cidrs = new ArrayList<>();
        for (String field : List.of("subnet", "podSubnet", "serviceCidr")) {
            Arrays.stream(network.get(field).asString().split(","))
                    .forEach(c -> cidrs.add(IpLiterals.cidr(c).orElseThrow()));
        }
        return cidrs;
    }

    @Test
    void concurrentClustersGetDisjointNetworksAndTheNodeNetworkUsesTheSubnet() {
        List<String> ids = java.util.stream.IntStream.range(0, 3).parallel()
                .mapToObj(i -> api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":1}").json().get("id").asString())
                .toList();
        List<IPAddress> all = new ArrayList<>();
        for (String id : ids) {
            JsonNode cluster = api.awaitStatus(id, "RUNNING", SETTLE);
            JsonNode network = cluster.get("spec").get("network");
            all.addAll(cidrs(network));
            IPAddress subnet = IpLiterals.cidr(network.get("subnet").asString()).orElseThrow();
            assertThat(inPool(subnet, "dind.network.pools.ipv4-nodes")).as(subnet + " in this run's pool").isTrue();
            Network dockerNetwork = TestDocker.networks(Map.of(Labels.CLUSTER, id)).get(0);
            assertThat(dockerNetwork.getIpam().getConfig()).extracting(Network.Ipam.Config::getSubnet)
                    .containsExactly(subnet.toCompressedString());
            cluster.get("nodes").forEach(n ->
                    assertThat(subnet.contains(IpLiterals.address(n.get("ipv4").asString()).orElseThrow())).isTrue());
        }
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                assertThat(all.get(i).overlaps(all.get(j))).as(all.get(i) + " and " + all.get(j)).isFalse();
            }
        }
        ids.forEach(this::deleteAndAwait);
    }

    @Test
    void dualStackClustersGetOneBlockOfEachFamilyPerField() {
        JsonNode created = api.post("/clusters", "{\"bootstrap\":\"none\",\"ipMode\":\"dual\"}").json();

        JsonNode network = created.get("spec").get("network");
        for (String field : List.of("subnet", "podSubnet", "serviceCidr")) {
            String[] pair = network.get(field).asString().split(",");
            assertThat(pair).hasSize(2);
            assertThat(IpLiterals.cidr(pair[0]).orElseThrow().isIPv4()).isTrue();
            assertThat(IpLiterals.cidr(pair[1]).orElseThrow().isIPv6()).isTrue();
        }
        String id = created.get("id").asString();
        api.awaitStatus(id, "RUNNING", SETTLE);
        deleteAndAwait(id);
    }

    @Test
    void ipv6ClustersGetASupportSubnetANat64PoolAndTheDns64Defaults() {
        String name = "v6owner-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode created = api.post("/clusters", "{\"name\":\"" + name + "\",\"bootstrap\":\"none\","
                + "\"ipMode\":\"ipv6\",\"workers\":0}").json();

        JsonNode network = created.get("spec").get("network");
        assertThat(inPool(network.get("subnet").asString(), "dind.network.pools.ipv6-nodes")).isTrue();
        assertThat(inPool(network.get("supportSubnet").asString(), "dind.network.pools.ipv4-support")).isTrue();
        assertThat(inPool(network.get("nat64Pool").asString(), "100.64.0.0/16/24")).isTrue();
        // ServiceTest's defaults: never a real DNS server
        assertThat(network.get("dns64Prefix").asString()).isEqualTo("fd00:64:ff9b::/96");
        assertThat(network.get("remoteDns64V4Server").asString()).isEqualTo("127.0.0.1");
        assertThat(network.get("allowAaaaUse").asBoolean()).isFalse();
        String id = created.get("id").asString();
        api.awaitStatus(id, "RUNNING", SETTLE);
        Network dockerNetwork = TestDocker.networks(Map.of(Labels.CLUSTER, id, Labels.ROLE, "network")).get(0);
        assertThat(dockerNetwork.getIpam().getConfig()).extracting(Network.Ipam.Config::getSubnet)
                .containsExactlyInAnyOrder(network.get("subnet").asString(), network.get("supportSubnet").asString());

        Api.Response conflict = api.post("/clusters", "{\"bootstrap\":\"none\",\"ipMode\":\"ipv6\","
                + "\"network\":{\"nat64Pool\":\"" + network.get("nat64Pool").asString() + "\"}}");
        assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
        assertThat(conflict.json().get("detail").asString()).contains("network.nat64Pool").contains(name);
        deleteAndAwait(id);
    }

    @Test
    void defaultsThatBreakARuleWithTheUsersValuesAreRefusedAndNothingIsStored() {
        long before = api.get("/clusters?limit=100").json().get("items").size();

        // The default DNS64 prefix (fd00:64:ff9b::/96 here) lies inside this node subnet.
        Api.Response refused = api.post("/clusters", "{\"bootstrap\":\"none\",\"ipMode\":\"ipv6\","
                + "\"network\":{\"subnet\":\"fd00:64:ff9b::/64\"}}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("network.dns64Prefix");
        assertThat(refused.json().get("errors").get(0).get("message").asString()).contains("defaults");
        assertThat(api.get("/clusters?limit=100").json().get("items").size()).isEqualTo(before);
    }

    @Test
    void refusesExplicitNetworksThatOverlapAnotherClusterNamingIt() {
        String name = "owner-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode owner = api.post("/clusters", "{\"name\":\"" + name + "\",\"bootstrap\":\"none\",\"workers\":0}").json();
        String podSubnet = owner.get("spec").get("network").get("podSubnet").asString();
        long before = api.get("/clusters?limit=100").json().get("items").size();

        Api.Response conflict = api.post("/clusters",
                "{\"bootstrap\":\"none\",\"network\":{\"subnet\":\"" + podSubnet.replace("/20", "/24") + "\"}}");

        assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
        assertThat(conflict.json().get("detail").asString()).contains("network.subnet").contains(name);
        assertThat(api.get("/clusters?limit=100").json().get("items").size()).isEqualTo(before);
        String id = owner.get("id").asString();
        api.awaitStatus(id, "RUNNING", SETTLE);
        deleteAndAwait(id);
    }

    @Test
    void avoidsSubnetsOfExistingDockerNetworksAndReusesBlocksOfDeletedClusters() {
        JsonNode first = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}").json();
        String block = first.get("spec").get("network").get("subnet").asString();
        deleteAndAwait(first.get("id").asString());
        JsonNode reuse = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}").json();
        assertThat(reuse.get("spec").get("network").get("subnet").asString()).isEqualTo(block);
        deleteAndAwait(reuse.get("id").asString());

        // A network someone else made on that block: the next cluster must go around it.
        String foreign = TestDocker.client().createNetworkCmd().withName("foreign-" + UUID.randomUUID())
                .withLabels(Labels.of(docker.instance(), "not-a-cluster", "foreign"))
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(block)))
                .exec().getId();
        try {
            JsonNode around = api.post("/clusters", "{\"bootstrap\":\"none\",\"workers\":0}").json();
            assertThat(around.get("spec").get("network").get("subnet").asString()).isNotEqualTo(block);
            Api.Response onIt = api.post("/clusters", "{\"bootstrap\":\"none\",\"network\":{\"subnet\":\"" + block + "\"}}");
            assertThat(onIt.status()).isEqualTo(409);
            assertThat(onIt.json().get("detail").asString()).contains("Docker network 'foreign-");
            api.awaitStatus(around.get("id").asString(), "RUNNING", SETTLE);
            deleteAndAwait(around.get("id").asString());
        } finally {
            TestDocker.client().removeNetworkCmd(foreign).exec();
        }
    }

    private void deleteAndAwait(String id) {
        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
    }

    /**
     * Whether {@code cidr} is one block of the pool {@code CIDR/blockLength}, given as such or as the name of the
     * system property TestRun sets it in: a block by address arithmetic, not by how its text starts.
     */
    private static boolean inPool(Object cidr, String pool) {
        AddressPool blocks = AddressPool.parse(pool.startsWith("dind.") ? System.getProperty(pool) : pool);
        IPAddress block = cidr instanceof IPAddress a ? a : IpLiterals.cidr(cidr.toString()).orElseThrow();
        return blocks.range().contains(block) && block.getNetworkPrefixLength() == blocks.blockLength();
    }
}
