package io.dindclusters.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.ServiceTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The checked-in openapi/openapi.yaml is exactly what the service serves. When the API changes on purpose, run
 * {@code ./mvnw test -Dtest=OpenApiDocumentTest -Dopenapi.update=true} and commit the file with the change.
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

        if (Boolean.getBoolean("openapi.update")) {
            Files.createDirectories(CHECKED_IN.getParent());
            Files.writeString(CHECKED_IN, document, StandardCharsets.UTF_8);
        }
        Files.writeString(Path.of("target", "openapi.yaml"), document, StandardCharsets.UTF_8);

        assertThat(document).startsWith("openapi: 3.1");
        assertThat(document)
                .as("openapi/openapi.yaml differs from the served document (target/openapi.yaml); if the change is "
                        + "intended, rerun with -Dopenapi.update=true and commit it")
                .isEqualTo(Files.readString(CHECKED_IN, StandardCharsets.UTF_8));
    }
}
