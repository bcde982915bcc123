package io.dindclusters.docker;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * /actuator/health/docker: one component per Docker host, DOWN while that host's engine cannot be reached. Each
 * health request checks the hosts again, within the check deadline, so it never hangs on a host that went away.
 */
@Configuration(proxyBeanMethods = false)
class DockerHealth {

    @Bean("docker")
    CompositeHealthContributor dockerHealth(DockerHosts hosts, DockerHostChecker checker) {
        Map<String, HealthContributor> byHost = new LinkedHashMap<>();
        for (DockerHost host : hosts.all()) {
            byHost.put(host.name(), new AbstractHealthIndicator("Docker engine health check failed") {
                @Override
                protected void doHealthCheck(Health.Builder builder) {
                    checker.check(host);
                    DockerHost.Reachability reachability = host.reachability();
                    (reachability.reachable() ? builder.up() : builder.down().withDetail("error", reachability.problem()))
                            .withDetail("url", host.url()).withDetail("since", reachability.since().toString());
                }
            });
        }
        return CompositeHealthContributor.fromMap(byHost);
    }
}
