package io.dindclusters.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
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
                        .license(new License().name("Apache-2.0")))
                // relative, so the document is the same whatever host and port serve it
                .servers(List.of(new Server().url("/").description("this service")));
    }
}
