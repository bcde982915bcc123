package io.dindclusters.docker;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** /actuator/health/docker: DOWN while the engine cannot be reached. */
@Component("docker")
class DockerHealthIndicator extends AbstractHealthIndicator {

    private final DockerEngine engine;

    DockerHealthIndicator(DockerEngine engine) {
        super("Docker engine health check failed");
        this.engine = engine;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        engine.ping();
        builder.up();
    }
}
