package io.dindclusters.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dindclusters.client.ApiClient;
import io.dindclusters.client.ApiException;
import io.dindclusters.client.api.ClustersApi;
import io.dindclusters.client.api.KubernetesVersionsApi;
import io.dindclusters.client.model.Cluster;
import io.dindclusters.client.model.ClusterSpec;
import io.dindclusters.client.model.ClusterUpdate;
import io.dindclusters.support.ServiceTest;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The checked-in document (which {@link OpenApiDocumentTest} holds equal to the served one) as client generators see
 * it: read by the parser OpenAPI Generator reads with, without one message, with names generated code can use; and
 * a Java client generated from it by OpenAPI Generator in this build (openapi-generator-maven-plugin, into
 * target/generated-test-sources) drives a cluster's whole life.
 */
@ServiceTest
class OpenApiClientsTest {

    /**
     * Bare verbs and nouns (a generator renamed list to callList, and in a client with several APIs they say nothing)
     * and words reserved in the languages clients are made in.
     */
    private static final Set<String> RESERVED = Set.of("list", "get", "delete", "update", "create", "events",
            "kubeconfig", "default", "new", "class", "import", "package", "object", "string", "type");
    private static final Pattern OPERATION_ID = Pattern.compile("^[a-z][A-Za-z]+$");

    @LocalServerPort
    int port;

    @Test
    void theDocumentReadsWithoutAMessageAndNamesWhatClientsNeed() throws IOException {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        var result = new OpenAPIV3Parser().readContents(Files.readString(OpenApiDocumentTest.CHECKED_IN), null, options);
        assertThat(result.getMessages()).as("the parser's messages").isEmpty();
        var api = result.getOpenAPI();
        assertThat(api.getInfo().getLicense().getIdentifier()).isEqualTo("Apache-2.0");

        List<String> operationIds = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String where = method + " " + path;
            operationIds.add(operation.getOperationId());
            assertThat(operation.getOperationId()).as(where).matches(OPERATION_ID).isNotIn(RESERVED);
            operation.getResponses().forEach((code, response) -> {
                if (response.getContent() == null) {
                    return;
                }
                if (code.startsWith("2")) {
                    assertThat(response.getContent()).as(where + " " + code).doesNotContainKey("application/problem+json");
                } else {
                    assertThat(response.getContent().keySet()).as(where + " " + code).containsOnly("application/problem+json");
                }
            });
            var parameterNames = operation.getParameters() == null ? List.<String>of()
                    : operation.getParameters().stream().map(p -> p.getName().toLowerCase(java.util.Locale.ROOT)
                    .replace("-", "")).toList();
            assertThat(parameterNames).as(where + ": parameters that differ only in case or dashes").doesNotHaveDuplicates();
        }));
        assertThat(operationIds).doesNotHaveDuplicates().contains("listClusters", "createCluster", "getCluster",
                "updateCluster", "deleteCluster", "streamClusterEvents", "streamFleetEvents", "getKubeconfig",
                "listDockerHosts", "listKubernetesVersions");

        var list = api.getPaths().get("/clusters").getGet();
        var limit = list.getParameters().stream().filter(p -> p.getName().equals("limit")).findFirst().orElseThrow();
        assertThat(limit.getSchema().getTypes()).containsExactly("integer");
        // Text that is not JSON: unparsed bytes to generators (a Java client's String would be read as JSON)
        var events = api.getPaths().get("/clusters/{idOrName}/events").getGet().getResponses().get("200").getContent();
        assertThat(events.keySet()).containsExactly("text/event-stream");
        assertThat(events.get("text/event-stream").getSchema().getTypes()).containsExactly("string");
        assertThat(events.get("text/event-stream").getSchema().getFormat()).isEqualTo("binary");
        assertThat(api.getComponents().getSchemas()).containsKey("ClusterEvent");
        var kubeconfig = api.getPaths().get("/clusters/{idOrName}/kubeconfig").getGet().getResponses().get("200")
                .getContent();
        assertThat(kubeconfig.keySet()).containsExactly("application/yaml");
        assertThat(kubeconfig.get("application/yaml").getSchema().getFormat()).isEqualTo("binary");
    }

    private static String read(java.io.File file) {
        try {
            return Files.readString(file.toPath());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            file.delete();
        }
    }

    @Test
    void aGeneratedJavaClientDrivesAClusterThroughItsWholeLife() throws ApiException {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://127.0.0.1:" + port);
        client.setReadTimeout(java.time.Duration.ofSeconds(120));
        ClustersApi clusters = new ClustersApi(client);

        Cluster created = clusters.createCluster(null, "90s", new ClusterSpec().bootstrap(ClusterSpec.BootstrapEnum.NONE)
                .workers(1).labels(Map.of("suite", "generated-client")));
        assertThat(created.getStatus()).isEqualTo(Cluster.StatusEnum.RUNNING);
        String id = created.getId();
        assertThat(created.getNodes()).hasSize(2);
        assertThat(clusters.getCluster(created.getName(), null).getId()).isEqualTo(id);
        assertThat(clusters.listClusters(List.of("RUNNING"), List.of("suite=generated-client"), 10, null).getItems())
                .extracting(Cluster::getId).contains(id);

        Cluster extended = clusters.updateCluster(id, new ClusterUpdate().ttl("PT12H"));
        assertThat(extended.getExpiresAt()).isAfter(created.getExpiresAt());

        // The stream, unparsed: the generated method saves it whole once the (RUNNING) cluster's stream ends.
        String stream = read(clusters.streamClusterEvents(id, null, null));
        assertThat(stream).contains("event:status").contains("\"status\":\"RUNNING\"");
        long lastId = Pattern.compile("(?m)^id: *(\\d+)$").matcher(stream).results()
                .mapToLong(m -> Long.parseLong(m.group(1))).max().orElseThrow();
        assertThat(read(clusters.streamClusterEvents(id, lastId - 1, "settled"))).startsWith("id:" + lastId + "\n").doesNotContain("id:1\n");

        assertThatThrownBy(() -> clusters.getKubeconfig(id)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getResponseBody()).contains("bootstrap none");
        });
        assertThatThrownBy(() -> clusters.getCluster("no-such-cluster", null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
        assertThat(new KubernetesVersionsApi(client).listKubernetesVersions()).isNotEmpty();

        assertThat(clusters.deleteCluster(id).getStatus()).isIn(Cluster.StatusEnum.DELETING, Cluster.StatusEnum.DELETED);
        assertThat(clusters.getCluster(id, "60s").getStatus()).isEqualTo(Cluster.StatusEnum.DELETED);
    }
}
