package io.dindclusters.docker;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Docker engine clusters are created on.
 *
 * @param host            engine address (unix:///var/run/docker.sock, tcp://host:2376); unset: DOCKER_HOST, else the
 *                        local socket
 * @param instance        value of the io.dindclusters.instance label on everything this service creates: clean-up and
 *                        start-up reconciliation only touch objects with this service's own instance label
 * @param nodeSecurity    how node containers get their privileges: privileged, capabilities or auto
 * @param connectTimeout  how long to wait for a connection to the engine
 * @param responseTimeout how long to wait for one engine API answer
 */
@ConfigurationProperties("dind.docker")
public record DockerProperties(
        String host,
        @DefaultValue("default") String instance,
        @DefaultValue("auto") NodeSecurity nodeSecurity,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("120s") Duration responseTimeout) {
}
