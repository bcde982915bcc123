package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import io.dindclusters.network.IpLiterals;
import io.dindclusters.support.Api;
import io.dindclusters.support.OutsideWorld;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.UplinkServiceTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * An IPv6-only cluster reaches the IPv4-only outside world through its own DNS64 and NAT64, proven with real packets
 * from inside a node: the "outside world" is a test DNS server and HTTP servers on an internal Docker network.
 */
@UplinkServiceTest
class Ipv6OnlyClusterTest {

    /** Network-specific: the well-known prefix must not reach the private addresses of the test world. */
    static final String PREFIX = "fd00:77:64:ff9b::/96";
    private static final Duration SETTLE = Duration.ofSeconds(120);

    @LocalServerPort
    int port;

    static OutsideWorld world;

    @BeforeAll
    static void outsideWorld() {
        world = OutsideWorld.get();
    }

    @ParameterizedTest(name = "allowAaaaUse {0}")
    @ValueSource(booleans = {false, true})
    void nodesHaveNoIpv4AndReachIpv4OnlyHostsThroughDns64AndNat64(boolean allowAaaaUse) {
        Api api = new Api(port);
        // An explicit subnet, so the IPv6 server of the dual name can have its address before the cluster exists.
        String subnet = "fd00:7e57:" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1, 0xffff)) + "::/64";
        String http6 = subnet.replace("::/64", "::99");
        String name = "v6-" + (allowAaaaUse ? "aaaa" : "nat") + "-" + Long.toString(Math.floorMod(System.nanoTime(), 1_000_000L), 36);
        String dns = world.startDns(name + "-dns", http6);
        String id = null;
        try {
            Api.Response created = api.post("/clusters", "{\"name\":\"" + name + "\",\"bootstrap\":\"none\","
                    + "\"ipMode\":\"ipv6\",\"workers\":2,\"network\":{\"subnet\":\"" + subnet + "\",\"dns64Prefix\":\""
                    + PREFIX + "\",\"remoteDns64V4Server\":\"" + dns + "\",\"allowAaaaUse\":" + allowAaaaUse + "}}");
            assertThat(created.status()).as(created.body()).isEqualTo(202);
            id = created.json().get("id").asString();
            JsonNode cluster = api.awaitStatus(id, "RUNNING", SETTLE);
            world.startHttp6(name + "-http6", "dind-" + name, http6);

            assertThat(cluster.get("dns64").get("ipv6").asString()).isEqualTo(subnet.replace("::/64", "::100"));
            assertThat(cluster.get("nat64").get("ipv6").asString()).isEqualTo(subnet.replace("::/64", "::200"));
            List<JsonNode> nodes = new ArrayList<>();
            cluster.get("nodes").forEach(nodes::add);
            assertThat(nodes).hasSize(3).allSatisfy(n -> assertThat(n.has("ipv4")).isFalse());
            for (JsonNode node : nodes) {
                String n = node.get("name").asString();
                assertThat(TestDocker.exec(n, "ip", "-4", "address", "show", "scope", "global").output()).isBlank();
                assertThat(TestDocker.exec(n, "ip", "-4", "route", "show").output()).isBlank();
                assertThat(TestDocker.exec(n, "cat", "/etc/resolv.conf").output())
                        .containsOnlyOnce("nameserver").contains("nameserver " + cluster.get("dns64").get("ipv6").asString());
                assertPodPrefixRoutes(node, nodes);
            }

            String node = nodes.get(1).get("name").asString();
            IPAddress synthesized = aaaa(node, OutsideWorld.V4_ONLY);
            assertEmbeds(synthesized, world.http4Address());
            assertThat(curl(node, OutsideWorld.V4_ONLY)).isEqualTo(OutsideWorld.V4_BODY);

            IPAddress dual = aaaa(node, OutsideWorld.DUAL);
            if (allowAaaaUse) {
                assertThat(dual).isEqualTo(IpLiterals.address(http6).orElseThrow());
                assertThat(curl(node, OutsideWorld.DUAL)).isEqualTo(OutsideWorld.V6_BODY);
            } else {
                assertEmbeds(dual, world.http4Address());
                assertThat(curl(node, OutsideWorld.DUAL)).isEqualTo(OutsideWorld.V4_BODY);
            }
        } finally {
            OutsideWorld.remove(name + "-http6");
            OutsideWorld.remove(name + "-dns");
            if (id != null) {
                api.delete("/clusters/" + id);
                api.awaitStatus(id, "DELETED", SETTLE);
                assertThat(TestDocker.objectsOfCluster(id)).isZero();
            }
        }
    }

    /** The one AAAA record a node's resolver (DNS64) gives for the name. */
    static IPAddress aaaa(String node, String name) {
        String answer = TestDocker.exec(node, "dig", "+short", "+time=2", "+tries=2", "AAAA", name).output().strip();
        return IpLiterals.address(answer).orElseThrow(() -> new AssertionError("AAAA of " + name + ": " + answer));
    }

    /** The address lies in the DNS64 prefix, with the IPv4 address in its last 32 bits (a /96 prefix). */
    static void assertEmbeds(IPAddress synthesized, String ipv4) {
        assertThat(IpLiterals.cidr(PREFIX).orElseThrow().contains(synthesized)).as(synthesized + " in " + PREFIX).isTrue();
        byte[] bytes = synthesized.getBytes();
        String embedded = (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
        assertThat(embedded).isEqualTo(ipv4);
    }

    static String curl(String node, String name) {
        var result = TestDocker.exec(node, "curl", "-sS", "-m", "10", "http://" + name + "/");
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output().strip();
    }

    static void assertPodPrefixRoutes(JsonNode node, List<JsonNode> nodes) {
        for (JsonNode other : nodes) {
            if (other == node) {
                continue;
            }
            String prefix = other.get("podPrefixes").get(0).asString();
            assertThat(TestDocker.exec(node.get("name").asString(), "ip", "-6", "route", "show", prefix).output())
                    .contains("via " + other.get("ipv6").asString());
        }
    }
}
