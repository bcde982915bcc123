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
 * /actuator/health/docker: one component per Docker host, DOWN while that host's engine cannot be reached, as the
 * host checker last found (every dind.docker.host-check-interval, and on every failed call): a health request asks
 * no engine itself, so it is cheap however often it comes, and never waits on a host that went away. A host not yet
 * checked is checked once, within the check deadline.
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
                    if (host.lastChecked() == null) {
                        checker.check(host);
                    }
                    DockerHost.Reachability reachability = host.reachability();
                    (reachability.reachable() ? builder.up() : builder.down().withDetail("error", reachability.problem()))
                            .withDetail("url", host.url()).withDetail("since", reachability.since().toString())
                            .withDetail("checkedAt", String.valueOf(host.lastChecked()));
                }
            });
        }
        return CompositeHealthContributor.fromMap(byHost);
    }
}
