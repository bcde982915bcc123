package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import io.dindclusters.network.IpLiterals;
import io.dindclusters.support.Api;
import io.dindclusters.support.OutsideWorld;
import io.dindclusters.support.UplinkServiceTest;
import io.dindclusters.support.TestDocker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A dual-stack cluster, checked from inside its nodes: both addresses, pod prefixes, routes, real packets between
 * the nodes, and both families reaching the test's outside world natively (no DNS64, no NAT64).
 */
@UplinkServiceTest
class DualStackClusterTest {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    @LocalServerPort
    int port;

    private static IPAddress cidr(String text) {
        return IpLiterals.cidr(text).orElseThrow();
    }

    @BeforeAll
    static void outsideWorld() {
        OutsideWorld.get();
    }

    @Test
    void nodesGetBothFamiliesTheirOwnPodPrefixesAndRoutesToEveryOtherNode() {
        Api api = new Api(port);
        String id = api.post("/clusters", "{\"bootstrap\":\"none\",\"ipMode\":\"dual\",\"workers\":2}")
                .json().get("id").asString();

        JsonNode cluster = api.awaitStatus(id, "RUNNING", SETTLE);

        JsonNode network = cluster.get("spec").get("network");
        IPAddress subnet4 = cidr(network.get("subnet").asString().split(",")[0]);
        IPAddress subnet6 = cidr(network.get("subnet").asString().split(",")[1]);
        IPAddress pods4 = cidr(network.get("podSubnet").asString().split(",")[0]);
        IPAddress pods6 = cidr(network.get("podSubnet").asString().split(",")[1]);
        List<JsonNode> nodes = new ArrayList<>();
        cluster.get("nodes").forEach(nodes::add);
        assertThat(nodes).hasSize(3);
        List<IPAddress> allPrefixes = new ArrayList<>();
        for (JsonNode node : nodes) {
            assertThat(subnet4.contains(IpLiterals.address(node.get("ipv4").asString()).orElseThrow())).isTrue();
            assertThat(subnet6.contains(IpLiterals.address(node.get("ipv6").asString()).orElseThrow())).isTrue();
            IPAddress prefix4 = cidr(node.get("podPrefixes").get(0).asString());
            IPAddress prefix6 = cidr(node.get("podPrefixes").get(1).asString());
            assertThat(pods4.contains(prefix4)).isTrue();
            assertThat(pods6.contains(prefix6)).isTrue();
            allPrefixes.add(prefix4);
            allPrefixes.add(prefix6);
        }
        assertThat(allPrefixes).doesNotHaveDuplicates();

        for (JsonNode from : nodes) {
            String name = from.get("name").asString();
            for (JsonNode to : nodes) {
                if (to == from) {
                    continue;
                }
                String v4 = TestDocker.exec(name, "ip", "-4", "route", "show", to.get("podPrefixes").get(0).asString()).output();
                assertThat(v4).contains("via " + to.get("ipv4").asString());
                String v6 = TestDocker.exec(name, "ip", "-6", "route", "show", to.get("podPrefixes").get(1).asString()).output();
                assertThat(v6).contains("via " + to.get("ipv6").asString());
                // Real packets between the nodes, over each family.
                assertThat(TestDocker.exec(name, "ping", "-6", "-c", "1", "-W", "5", to.get("ipv6").asString()).exitCode())
                        .isZero();
                assertThat(TestDocker.exec(name, "ping", "-4", "-c", "1", "-W", "5", to.get("ipv4").asString()).exitCode())
                        .isZero();
            }
        }

        assertThat(cluster.has("dns64")).isFalse();
        assertThat(cluster.has("nat64")).isFalse();
        reachesTheOutsideWorldOverBothFamilies(cluster, subnet6);

        api.delete("/clusters/" + id);
        api.awaitStatus(id, "DELETED", SETTLE);
        assertThat(TestDocker.objectsOfCluster(id)).isZero();
    }

    /** IPv4 to the outside network (the uplink), IPv6 to a server on the cluster network, names from the test DNS. */
    private static void reachesTheOutsideWorldOverBothFamilies(JsonNode cluster, IPAddress subnet6) {
        OutsideWorld world = OutsideWorld.get();
        String name = cluster.get("name").asString();
        String http6 = subnet6.getLower().withoutPrefixLength().increment(0x99).toCompressedString();
        try {
            String dns = world.startDns(name + "-dns", http6);
            world.startHttp6(name + "-http6", "dind-" + name, http6);
            String node = cluster.get("nodes").get(1).get("name").asString();

            String a = TestDocker.exec(node, "dig", "+short", "+time=2", "+tries=2", "@" + dns, "A", OutsideWorld.V4_ONLY)
                    .output().strip();
            assertThat(a).isEqualTo(world.http4Address());
            assertThat(curl(node, "-4", a)).isEqualTo(OutsideWorld.V4_BODY);

            String aaaa = TestDocker.exec(node, "dig", "+short", "+time=2", "+tries=2", "@" + dns, "AAAA", OutsideWorld.DUAL)
                    .output().strip();
            assertThat(aaaa).isEqualTo(http6);
            assertThat(curl(node, "-6", "[" + aaaa + "]")).isEqualTo(OutsideWorld.V6_BODY);
        } finally {
            OutsideWorld.remove(name + "-http6");
            OutsideWorld.remove(name + "-dns");
        }
    }

    private static String curl(String node, String family, String host) {
        var result = TestDocker.exec(node, "curl", family, "-sS", "-m", "10", "http://" + host + "/");
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output().strip();
    }
}
