package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.ServiceTest;
import io.dindclusters.support.TestDocker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A corpus of malformed requests (wrong types, unknown fields, overlong and non-ASCII values, shell metacharacters
 * and control characters in every string field, bad CIDRs, numbers out of range, bodies of megabytes, wrong content
 * types): every one gets a 4xx problem, never a 500, and nothing is stored or created (each case checked on its
 * own). It stays in the shared service context rather than a web slice: "nothing stored, no container" is only
 * shown by the real service, database and engine, and that context is started anyway.
 */
@ServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestCorpusTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> STRING_FIELDS = List.of("name", "nodeImage", "kubernetesVersion", "ttl", "network.subnet",
            "network.podSubnet", "network.serviceCidr", "network.dns64Prefix", "network.remoteDns64V4Server",
            "network.supportSubnet", "network.nat64Pool", "labels.key", "labels.value");
    private static final List<String> HOSTILE = List.of("; rm -rf /", "$(reboot)", "`id`", "a|b", "a && b",
            "line\nbreak", "carriage\rreturn", "tab\there", "nul\u0000byte", "ünïcødé", "emoji\uD83D\uDE80",
            "x".repeat(300), "quote\"s", "back\\slash", "../../etc/passwd", "10.0.0.0/24\n");

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;
    @org.springframework.beans.factory.annotation.Autowired
    io.dindclusters.docker.DockerProperties docker;

    static Stream<Arguments> corpus() {
        List<Arguments> cases = new ArrayList<>();
        for (String field : STRING_FIELDS) {
            for (String value : HOSTILE) {
                cases.add(Arguments.of(field + " = " + printable(value), "application/json", bodyWith(field, value)));
            }
        }
        for (String field : List.of("name", "nodeImage", "network.subnet", "ttl")) {
            cases.add(Arguments.of(field + " as a number", "application/json", bodyWith(field, 42)));
            cases.add(Arguments.of(field + " as an array", "application/json", bodyWith(field, List.of("a"))));
            cases.add(Arguments.of(field + " as an object", "application/json", bodyWith(field, Map.of("a", "b"))));
            cases.add(Arguments.of(field + " as a boolean", "application/json", bodyWith(field, true)));
        }
        for (Object workers : List.of(-1, 11, 1_000_000, 2.5, "2", "two", List.of(2))) {
            cases.add(Arguments.of("workers = " + workers, "application/json", bodyWith("workers", workers)));
        }
        for (String mode : List.of("IPV6", "ipv7", "", "dual-stack")) {
            cases.add(Arguments.of("ipMode = " + mode, "application/json", bodyWith("ipMode", mode)));
        }
        cases.add(Arguments.of("an unknown field", "application/json", "{\"bootstrap\":\"none\",\"gpu\":true}"));
        cases.add(Arguments.of("an unknown network field", "application/json", "{\"network\":{\"mtu\":1500}}"));
        cases.add(Arguments.of("not JSON", "application/json", "name=x"));
        cases.add(Arguments.of("truncated JSON", "application/json", "{\"name\":\"x\""));
        cases.add(Arguments.of("a JSON array", "application/json", "[]"));
        for (String notAnObject : List.of("null", "42", "\"spec\"", "false", "  null  ", "[{}]")) {
            cases.add(Arguments.of("a body of " + notAnObject.strip(), "application/json", notAnObject));
        }
        for (String field : List.of("bootstrap", "ipMode")) {
            for (Object number : List.of(0, 1, "1", -1)) {
                cases.add(Arguments.of(field + " as the ordinal " + number, "application/json", bodyWith(field, number)));
            }
        }
        cases.add(Arguments.of("deeply nested", "application/json", "{\"labels\":" + "[".repeat(2000) + "]".repeat(2000) + "}"));
        cases.add(Arguments.of("a body of 5 MB", "application/json",
                "{\"name\":\"" + "a".repeat(5 * 1024 * 1024) + "\"}"));
        cases.add(Arguments.of("text/plain", "text/plain", "{}"));
        cases.add(Arguments.of("application/xml", "application/xml", "<cluster/>"));
        cases.add(Arguments.of("a form", "application/x-www-form-urlencoded", "name=x"));
        cases.add(Arguments.of("33 labels", "application/json", labels(33)));
        return cases.stream();
    }

    private static String printable(String value) {
        String shown = value.length() > 20 ? value.substring(0, 20) + "..." : value;
        return shown.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t").replace("\u0000", "\\0");
    }

    private static String bodyWith(String field, Object value) {
        ObjectNode body = JSON.createObjectNode();
        body.put("bootstrap", "none");
        body.put("ipMode", "ipv6");
        if (field.equals("labels.key")) {
            body.putObject("labels").put(String.valueOf(value), "v");
        } else if (field.equals("labels.value")) {
            body.putObject("labels").put("k", String.valueOf(value));
        } else if (field.startsWith("network.")) {
            body.putObject("network").set(field.substring(8), JSON.valueToTree(value));
        } else {
            body.set(field, JSON.valueToTree(value));
        }
        return JSON.writeValueAsString(body);
    }

    private static String labels(int count) {
        ObjectNode labels = JSON.createObjectNode();
        for (int i = 0; i < count; i++) {
            labels.put("k" + i, "v");
        }
        return "{\"bootstrap\":\"none\",\"labels\":" + JSON.writeValueAsString(labels) + "}";
    }

    /**
     * What this service has stored and created: cluster rows, and containers and networks with its instance label.
     * Compared before and after each request, additions only: another test's clean-up still removing its objects
     * changes nothing here, and nothing of another run or context is counted.
     */
    private java.util.Set<String> whatExists() {
        java.util.Set<String> all = new java.util.HashSet<>(jdbc.sql("SELECT id FROM clusters").query(String.class).list());
        Map<String, String> ours = Map.of(io.dindclusters.docker.Labels.INSTANCE, docker.instance());
        TestDocker.containers(ours).forEach(c -> all.add("container " + c.getId()));
        TestDocker.networks(ours).forEach(n -> all.add("network " + n.getId()));
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithAProblemAndCreatesNothing(String description, String contentType, String body) {
        java.util.Set<String> before = whatExists();
        Api.Response response = new Api(port).post("/clusters", contentType, body.getBytes(StandardCharsets.UTF_8));

        java.util.Set<String> added = whatExists();
        added.removeAll(before);
        assertThat(added).as("stored or created by " + description).isEmpty();

        assertThat(response.status()).as(description + ": " + response.body()).isBetween(400, 499);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(response.status());
        if (response.status() == 400) {
            assertThat(response.json().get("errors")).isNotEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void aBodyOfMegabytesIsRefusedBeforeItIsParsed() {
        byte[] body = ("{\"name\":\"" + "a".repeat(5 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        Api.Response response = new Api(port).post("/clusters", "application/json", body);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("title").asString()).isEqualTo("Request body too large");
    }

    @org.junit.jupiter.api.Test
    void theCorpusHasOverAHundredRequests() {
        assertThat(corpus().count()).isGreaterThan(100);
    }

}
