package io.dindclusters.docker;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Docker engines clusters are created on.
 *
 * @param host            with no {@code hosts}: the one engine's address (unix:///var/run/docker.sock,
 *                        tcp://host:2376); unset: DOCKER_HOST, else the local socket. That engine is the host "local".
 * @param hosts           several engines; each new cluster goes on a reachable one with room (the least loaded)
 * @param instance        value of the io.dindclusters.instance label on everything this service creates: clean-up and
 *                        start-up reconciliation only touch objects with this service's own instance label
 * @param nodeSecurity    how node containers get their privileges: privileged, capabilities or auto
 * @param connectTimeout  how long to wait for a connection to the engine
 * @param responseTimeout how long to wait for one engine API answer
 * @param hostCheckInterval how often every host is pinged, so placement skips hosts that went away
 * @param unprivilegedKubeadm let bootstrap kubeadm run where nodes only get the capabilities profile: UNSUPPORTED for
 *                        real kind images (systemd and kubelet need --privileged); the service then remounts /sys,
 *                        the cgroup hierarchies and /proc/sys read-write and makes /dev/kmsg before the image's
 *                        entrypoint runs. For test images and experiments only.
 */
@ConfigurationProperties("dind.docker")
public record DockerProperties(
        String host,
        @DefaultValue List<DockerHostProperties> hosts,
        @DefaultValue("default") String instance,
        @DefaultValue("auto") NodeSecurity nodeSecurity,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("120s") Duration responseTimeout,
        @DefaultValue("10s") Duration hostCheckInterval,
        @DefaultValue("false") boolean unprivilegedKubeadm) {
}
