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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Three IPv6-only clusters requested at once get disjoint networks, and each reaches the IPv4 world on its own. */
@UplinkServiceTest
class ConcurrentIpv6ClustersTest {

    private static final Duration SETTLE = Duration.ofSeconds(180);
    private static final List<String> ALLOCATED = List.of("subnet", "podSubnet", "serviceCidr", "supportSubnet", "nat64Pool");

    @LocalServerPort
    int port;

    @Test
    void threeClustersAtOnceGetDisjointNetworksAndEachReachesTheIpv4World() {
        Api api = new Api(port);
        OutsideWorld world = OutsideWorld.get();
        String dnsName = "concurrent-v6-dns-" + Long.toString(Math.floorMod(System.nanoTime(), 1_000_000L), 36);
        String dns = world.startDns(dnsName, "fd00:7e57::99");
        String body = "{\"bootstrap\":\"none\",\"ipMode\":\"ipv6\",\"workers\":1,\"network\":{\"dns64Prefix\":\""
                + Ipv6OnlyClusterTest.PREFIX + "\",\"remoteDns64V4Server\":\"" + dns + "\"}}";
        List<String> ids = new ArrayList<>();
        try {
            List<CompletableFuture<Api.Response>> posts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                posts.add(CompletableFuture.supplyAsync(() -> api.post("/clusters", body)));
            }
            for (var post : posts) {
                Api.Response response = post.join();
                assertThat(response.status()).as(response.body()).isEqualTo(202);
                ids.add(response.json().get("id").asString());
            }
            List<JsonNode> clusters = ids.stream().map(id -> api.awaitStatus(id, "RUNNING", SETTLE)).toList();

            List<IPAddress> blocks = new ArrayList<>();
            for (JsonNode cluster : clusters) {
                for (String field : ALLOCATED) {
                    blocks.add(IpLiterals.cidr(cluster.get("spec").get("network").get(field).asString()).orElseThrow());
                }
            }
            for (int i = 0; i < blocks.size(); i++) {
                for (int j = i + 1; j < blocks.size(); j++) {
                    assertThat(blocks.get(i).overlaps(blocks.get(j))).as(blocks.get(i) + " and " + blocks.get(j)).isFalse();
                }
            }
            for (JsonNode cluster : clusters) {
                String node = cluster.get("nodes").get(1).get("name").asString();
                Ipv6OnlyClusterTest.assertEmbeds(Ipv6OnlyClusterTest.aaaa(node, OutsideWorld.V4_ONLY), world.http4Address());
                assertThat(Ipv6OnlyClusterTest.curl(node, OutsideWorld.V4_ONLY)).isEqualTo(OutsideWorld.V4_BODY);
            }
        } finally {
            OutsideWorld.remove(dnsName);
            ids.forEach(id -> api.delete("/clusters/" + id));
            for (String id : ids) {
                api.awaitStatus(id, "DELETED", SETTLE);
                assertThat(TestDocker.objectsOfCluster(id)).isZero();
            }
        }
    }
}
