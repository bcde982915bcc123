package io.dindclusters.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API document's front matter; the paths come from the controllers' annotations. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI dindClustersOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("dind-clusters")
                        .version("v1")
                        .description("Throwaway Kubernetes-in-Docker clusters on demand, in IPv4, IPv6-only or "
                                + "dual-stack mode. Errors are RFC 9457 problem details.")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                // relative, so the document is the same whatever host and port serve it
                .servers(List.of(new Server().url("/").description("this service")))
                .components(new Components().addSecuritySchemes("bearer", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").description("A static token of "
                                + "dind.security.tokens, or an OIDC token of an issuer in dind.security.oidc (a CI "
                                + "job's, with this service's audience). A service configured with neither needs "
                                + "none, and listens on loopback only.")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    /**
     * Problem details are what errors answer: a success response that also offers application/problem+json (from a
     * controller's produces list) makes generated clients expect a problem where a cluster comes.
     */
    @Bean
    OpenApiCustomizer problemsOnlyOnErrors() {
        return openApi -> openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                operation.getResponses().forEach((code, response) -> {
                    if (code.startsWith("2") && response.getContent() != null) {
                        response.getContent().remove(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                    }
                })));
    }

    /**
     * The events stream is documented as text, so that generators do not parse it as one JSON document; its events'
     * schema is added here, for the stream's description to refer to.
     */
    @Bean
    OpenApiCustomizer clusterEventSchema() {
        return openApi -> io.swagger.v3.core.converter.ModelConverters.getInstance(true)
                .read(io.dindclusters.events.ClusterEvent.class)
                .forEach((name, schema) -> openApi.getComponents().addSchemas(name, schema));
    }

    /** Every operation can answer 401 once tokens or issuers are configured: said once, here, for all of them. */
    @Bean
    OpenApiCustomizer unauthorizedEverywhere() {
        return openApi -> openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                operation.getResponses().addApiResponse("401", new ApiResponse().description("No bearer token, or "
                        + "one that was refused; WWW-Authenticate says why (RFC 6750).").content(new Content()
                        .addMediaType("application/problem+json", new MediaType().schema(new Schema<>()
                                .$ref("#/components/schemas/Problem")))))));
    }

    /** Tags in the order a reader needs them (the document and the UI list them so), not in bean discovery order. */
    @Bean
    OpenApiCustomizer tagsInReadingOrder() {
        List<String> order = List.of("clusters", "pools", "kubernetes-versions", "docker-hosts");
        return openApi -> {
            if (openApi.getTags() != null) {
                openApi.getTags().sort(java.util.Comparator.comparingInt(tag -> order.indexOf(tag.getName()) < 0
                        ? order.size() : order.indexOf(tag.getName())));
            }
        };
    }
}
