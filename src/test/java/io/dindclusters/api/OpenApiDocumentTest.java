package io.dindclusters.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.Golden;
import io.dindclusters.support.ServiceTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The checked-in openapi/openapi.yaml is exactly what the service serves. When the API changes on purpose, run
 * {@code ./mvnw test -Dtest=OpenApiDocumentTest -Dopenapi.update=true} (it writes the file and fails), review the
 * diff, run again without the flag, and commit the file with the change.
 */
@ServiceTest
class OpenApiDocumentTest {

    static final Path CHECKED_IN = Path.of("openapi", "openapi.yaml");

    @LocalServerPort
    int port;

    @Test
    void servedDocumentMatchesTheCheckedInOne() throws IOException {
        Api.Response served = new Api(port).get("/v3/api-docs.yaml");
        assertThat(served.status()).isEqualTo(200);
        String document = served.body().endsWith("\n") ? served.body() : served.body() + "\n";

        Files.writeString(Path.of("target", "openapi.yaml"), document, StandardCharsets.UTF_8);

        assertThat(document).startsWith("openapi: 3.1");
        // Beside the comparison, what generated clients rely on, parsed:
        Map<String, Object> api = new org.yaml.snakeyaml.Yaml().load(document);
        Map<String, Object> paths = map(api, "paths");
        assertThat(paths).containsKeys("/clusters", "/clusters/{idOrName}", "/events", "/docker-hosts", "/kubernetes-versions");
        paths.forEach((path, operations) -> ((Map<?, ?>) operations).forEach((method, operation) ->
                assertThat(map(operation, "responses")).as(method + " " + path).containsKey("401")));
        assertThat(map(map(map(paths.get("/clusters"), "post"), "responses"), "403")).isNotNull();
        assertThat(map(map(map(paths.get("/docker-hosts"), "get"), "responses"), "403")).isNotNull();
        assertThat(map(map(map(map(api, "components"), "schemas"), "ClusterSpec"), "properties"))
                .containsKeys("nodeImage", "kubernetesVersion");
        assertThat(map(map(map(api, "components"), "securitySchemes"), "bearer")).containsEntry("scheme", "bearer");
        Golden.assertMatches(CHECKED_IN, document, "openapi.update");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object parent, String key) {
        assertThat(parent).isInstanceOf(Map.class);
        Map<String, Object> fields = (Map<String, Object>) parent;
        assertThat(fields).containsKey(key);
        return (Map<String, Object>) fields.get(key);
    }
}
