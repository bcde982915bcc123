package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.docker.DockerProperties;
import io.dindclusters.docker.Labels;
import io.dindclusters.support.Api;
import io.dindclusters.support.ServiceTest;
import io.dindclusters.support.TestDocker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Bad input gets a 400 problem naming the field and the rule, and leaves no row and no Docker object. */
@ServiceTest
class ClusterSpecValidationTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DockerProperties docker;
    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                Arguments.of("{\"name\":\"UPPER\"}", "name"),
                // enums refuse numbers and numeric strings (Jackson would take them as ordinals)
                Arguments.of("{\"bootstrap\":1}", "bootstrap"),
                Arguments.of("{\"bootstrap\":\"1\"}", "bootstrap"),
                Arguments.of("{\"ipMode\":0}", "ipMode"),
                // a body is an object or nothing: JSON null would otherwise mean "all defaults"
                Arguments.of("null", "body"),
                Arguments.of(" [] ", "body"),
                Arguments.of("\"a cluster\"", "body"),
                Arguments.of("42", "body"),
                Arguments.of("true", "body"),
                Arguments.of("{\"name\":\"-starts-with-dash\"}", "name"),
                Arguments.of("{\"name\":\"ends-with-dash-\"}", "name"),
                Arguments.of("{\"name\":\"9starts-with-digit\"}", "name"),
                Arguments.of("{\"name\":\"a-name-that-is-much-too-long-for-us\"}", "name"),
                Arguments.of("{\"name\":\"x;rm -rf /\"}", "name"),
                Arguments.of("{\"name\":\"x\\ny\"}", "name"),
                Arguments.of("{\"name\":\"naïve\"}", "name"),
                Arguments.of("{\"name\":7}", "name"),
                Arguments.of("{\"ipMode\":\"ipv5\"}", "ipMode"),
                Arguments.of("{\"ipMode\":\"IPV6\"}", "ipMode"),
                Arguments.of("{\"workers\":11}", "workers"),
                Arguments.of("{\"workers\":-1}", "workers"),
                Arguments.of("{\"workers\":\"2\"}", "workers"),
                Arguments.of("{\"workers\":2.5}", "workers"),
                Arguments.of("{\"bootstrap\":\"kind\"}", "bootstrap"),
                Arguments.of("{\"nodeImage\":\"Kindest/Node\"}", "nodeImage"),
                Arguments.of("{\"nodeImage\":\"kindest/node:v1 && reboot\"}", "nodeImage"),
                Arguments.of("{\"nodeImage\":\"$(id)\"}", "nodeImage"),
                Arguments.of("{\"labels\":{\"bad key\":\"v\"}}", "labels"),
                Arguments.of("{\"labels\":{\"k\":\"bad value!\"}}", "labels"),
                Arguments.of("{\"labels\":{\"k\":1}}", "labels.k"),
                Arguments.of("{\"labels\":[\"k\"]}", "labels"),
                Arguments.of("{\"unknown\":true}", "unknown"),
                Arguments.of("{\"network\":{\"subnet\":\"10.0.0.1/24\"}}", "network.subnet"),
                Arguments.of("{\"network\":{\"subnet\":\"fd00::/64\"}}", "network.subnet"),
                Arguments.of("{\"network\":{\"podSubnet\":\"10.244.0.0/24\"}}", "network.podSubnet"),
                Arguments.of("{\"ipMode\":\"ipv6\",\"network\":{\"serviceCidr\":\"fd00:30::/100\"}}", "network.serviceCidr"),
                Arguments.of("{\"ipMode\":\"dual\",\"network\":{\"subnet\":\"10.1.0.0/24\"}}", "network.subnet"),
                Arguments.of("{\"ipMode\":\"ipv6\",\"network\":{\"dns64Prefix\":\"fd00:64::/80\"}}", "network.dns64Prefix"),
                Arguments.of("{\"ipMode\":\"ipv6\",\"network\":{\"remoteDns64V4Server\":\"dns.example\"}}", "network.remoteDns64V4Server"),
                Arguments.of("{\"ipMode\":\"ipv6\",\"network\":{\"dns64Prefix\":\"64:ff9b::/96\",\"remoteDns64V4Server\":\"10.0.0.53\"}}", "network.dns64Prefix"),
                Arguments.of("{\"network\":{\"dns64Prefix\":\"fd00:64::/96\"}}", "network.dns64Prefix"),
                Arguments.of("{\"network\":{\"allowAaaaUse\":\"yes\"}}", "network.allowAaaaUse"),
                Arguments.of("{\"network\":{\"supportSubnet\":\"10.251.0.0/28\"}}", "network.supportSubnet"),
                Arguments.of("{\"ttl\":\"2h\"}", "ttl"),
                Arguments.of("{\"ttl\":\"PT0S\"}", "ttl"),
                Arguments.of("{\"ttl\":\"PT30S\"}", "ttl"),
                Arguments.of("{\"ttl\":\"P30D\"}", "ttl"),
                Arguments.of("{\"ttl\":\"-PT1H\"}", "ttl"),
                Arguments.of("{\"ttl\":7200}", "ttl"),
                Arguments.of("{\"ipMode\":\"ipv6\",\"network\":{\"supportSubnet\":\"fd00:1::/64\"}}", "network.supportSubnet"),
                Arguments.of("{\"ipMode\":\"ipv6\",\"network\":{\"supportSubnet\":\"10.251.0.0/30\"}}", "network.supportSubnet"),
                Arguments.of("{\"ipMode\":\"dual\",\"network\":{\"nat64Pool\":\"100.64.0.0/24\"}}", "network.nat64Pool"),
                Arguments.of("{\"ipMode\":\"ipv6\",\"network\":{\"nat64Pool\":\"100.64.0.0/24,fd00::/64\"}}", "network.nat64Pool"),
                Arguments.of("{\"ipMode\":\"ipv6\",\"network\":{\"nat64Pool\":\"100.64.0.0/24\",\"supportSubnet\":\"100.64.0.0/28\"}}", "network.nat64Pool"),
                Arguments.of("{\"ipMode\":\"ipv6\",\"network\":{\"subnet\":\"fd00:64::/64\",\"dns64Prefix\":\"fd00:64::/96\"}}", "network.dns64Prefix"),
                Arguments.of("{\"network\":{\"gateway\":\"10.0.0.1\"}}", "network.gateway"),
                Arguments.of("[]", "body"),
                Arguments.of("{\"name\":", "body"),
                Arguments.of("\"just a string\"", "body"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("invalidSpecs")
    void refusesAnInvalidSpecNamingTheFieldAndStoresNothing(String body, String field) {
        long clustersBefore = clusterRows();

        Api.Response response = api.post("/clusters", body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("title").asString()).isEqualTo("Invalid request");
        var fields = new ArrayList<String>();
        problem.get("errors").forEach(e -> {
            fields.add(e.get("field").asString());
            assertThat(e.get("message").asString()).isNotBlank();
        });
        assertThat(fields).contains(field);
        assertThat(clusterRows()).isEqualTo(clustersBefore);
        assertThat(TestDocker.containers(Map.of(Labels.INSTANCE, docker.instance()))
                .stream().filter(c -> !"probe".equals(c.getLabels().get(Labels.ROLE)))).isEmpty();
    }

    /**
     * No body still means "all defaults": here those defaults are refused for what they are (bootstrap kubeadm on
     * hosts without --privileged), not for the body's shape.
     */
    @Test
    void anEmptyBodyStillMeansAllDefaults() {
        Api.Response response = api.post("/clusters", "");

        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.json().get("title").asString()).isEqualTo("Kubernetes needs privileged nodes");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("bootstrap");
    }

    /** Node containers run privileged: an image outside the allow-list would be root on the host. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"kindest/node:v1.33.1", "debian:bookworm-slim",
            "localhost/elsewhere/node:1", "localhost/dind-clusters/a/b:1"})
    void aNodeImageOutsideTheAllowListIsRefusedWith403AndStoresNothing(String image) {
        long clustersBefore = clusterRows();

        Api.Response refused = api.post("/clusters", "{\"bootstrap\":\"none\",\"nodeImage\":\"" + image + "\"}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("title").asString()).isEqualTo("Node image not allowed");
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("nodeImage");
        // the count of the operator's patterns, never the patterns
        assertThat(refused.json().get("detail").asString()).contains("2 pattern(s)").doesNotContain("127.0.0.1:*");
        assertThat(clusterRows()).isEqualTo(clustersBefore);
    }

    @Test
    void aBodyThatIsNotAnObjectSaysAClusterSpecIsExpected() {
        Api.Response response = api.post("/clusters", "null");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("message").asString())
                .isEqualTo("must be a JSON object: a ClusterSpec is expected");
    }

    @Test
    void reportsEveryBrokenRuleAtOnce() {
        Api.Response response = api.post("/clusters",
                "{\"name\":\"BAD\",\"workers\":99,\"ipMode\":\"ipv6\",\"network\":{\"subnet\":\"10.0.0.0/24\"}}");

        assertThat(response.status()).isEqualTo(400);
        var fields = new ArrayList<String>();
        response.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).containsExactlyInAnyOrder("name", "workers", "network.subnet");
    }

    @Test
    void refusesAWrongContentType() {
        Api.Response response = api.post("/clusters", "text/plain", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void refusesInvalidQueryParametersNamingThem() {
        assertThat(fieldOf(api.get("/clusters?limit=0"))).isEqualTo("limit");
        assertThat(fieldOf(api.get("/clusters?limit=many"))).isEqualTo("limit");
        assertThat(fieldOf(api.get("/clusters?status=SLEEPING"))).isEqualTo("status");
        assertThat(fieldOf(api.get("/clusters?label=novalue"))).isEqualTo("label");
        assertThat(fieldOf(api.get("/clusters?cursor=not-a-cursor"))).isEqualTo("cursor");
    }

    private static String fieldOf(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        return response.json().get("errors").get(0).get("field").asString();
    }

    private long clusterRows() {
        return jdbc.sql("SELECT COUNT(*) FROM clusters").query(Long.class).single();
    }
}
