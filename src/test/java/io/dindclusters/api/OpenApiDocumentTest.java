package io.dindclusters.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.Golden;
import io.dindclusters.support.ServiceTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Golden.assertMatches(CHECKED_IN, document, "openapi.update");
    }
}
