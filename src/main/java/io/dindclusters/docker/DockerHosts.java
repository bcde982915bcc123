package io.dindclusters.docker;

import io.dindclusters.kube.KubernetesProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The Docker engines clusters are placed on, in configured order: {@code dind.docker.hosts}, or without it the one
 * engine of {@code dind.docker.host}, named {@value #LOCAL}. A cluster records its host's name, so it is found
 * again after restarts and reported when its host goes away.
 */
@Component
public class DockerHosts {

    /** The name of the single host of a configuration without {@code dind.docker.hosts}. */
    public static final String LOCAL = "local";
    private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

    private final Map<String, DockerHost> hosts = new LinkedHashMap<>();
    private final List<Closeable> clients = new ArrayList<>();

    public DockerHosts(DockerProperties docker, ImageProperties images, KubernetesProperties kubernetes,
                UplinkProperties uplink, MeterRegistry meters) {
        List<DockerHostProperties> configured = docker.hosts().isEmpty()
                ? List.of(new DockerHostProperties(LOCAL, DockerEngine.blankToNull(docker.host()), null, 0, 0, null, null, null,
                        null, null, null))
                : docker.hosts();
        for (int i = 0; i < configured.size(); i++) {
            DockerHostProperties host = configured.get(i);
            String prefix = docker.hosts().isEmpty() ? "dind.docker" : "dind.docker.hosts[" + i + "]";
            validate(prefix, host, docker.hosts().isEmpty());
            String apiServerAddress = orElse(host.apiServerAddress(), kubernetes.apiServerAddress());
            String kubeconfigHost = orElse(host.kubeconfigHost(), kubernetes.kubeconfigHost());
            KubernetesProperties.checkPublishing(host.apiServerAddress() == null ? "dind.kubernetes" : prefix,
                    apiServerAddress, kubeconfigHost);
            String apiServerAddressIpv6 = orElse(host.apiServerAddressIpv6(), orElse(kubernetes.apiServerAddressIpv6(),
                    KubernetesProperties.ipv6Counterpart(apiServerAddress)));
            KubernetesProperties.checkIpv6Publishing(host.apiServerAddressIpv6() == null ? "dind.kubernetes" : prefix,
                    apiServerAddressIpv6, kubeconfigHost);
            var client = DockerClients.connect(DockerEngine.blankToNull(host.url()), DockerEngine.blankToNull(host.certPath()), docker);
            clients.add(client);
            var engine = new DockerEngine(host.name(), client, meters);
            NodeSecurity security = host.nodeSecurity() == null ? docker.nodeSecurity() : host.nodeSecurity();
            var dockerHost = new DockerHost(host.name(), host.url() == null ? "default" : host.url(), engine,
                    new SupportImages(engine, images), new NodeSecurityResolver(host.name(), engine, security),
                    host.maxClusters(), host.maxNodes(),
                    new DockerHost.Publishing(apiServerAddress, orElse(kubeconfigHost, apiServerAddress)),
                    new DockerHost.Publishing(apiServerAddressIpv6, orElse(kubeconfigHost, apiServerAddressIpv6)),
                    orElse(host.uplink(), uplink.uplink()), docker.connectTimeout().plusSeconds(1),
                    host.unprivilegedKubeadm() == null ? docker.unprivilegedKubeadm() : host.unprivilegedKubeadm());
            hosts.put(host.name(), dockerHost);
            Gauge.builder("dind.docker.host.up", dockerHost, h -> h.reachability().reachable() ? 1 : 0)
                    .description("Whether the Docker host answered its last check").tag("host", host.name())
                    .register(meters);
        }
    }

    private void validate(String prefix, DockerHostProperties host, boolean implicit) {
        if (implicit) {
            return;
        }
        if (host.name() == null || !NAME.matcher(host.name()).matches()) {
            throw new IllegalArgumentException(prefix + ".name must be 1-63 lower-case letters, digits and '-'");
        }
        if (hosts.containsKey(host.name())) {
            throw new IllegalArgumentException(prefix + ".name " + host.name() + " is used by another host");
        }
        if (host.url() == null || !(host.url().startsWith("unix://") || host.url().startsWith("tcp://"))) {
            throw new IllegalArgumentException(prefix + ".url must be unix:///path or tcp://host:port");
        }
        if (host.certPath() != null && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(host.certPath()))) {
            throw new IllegalArgumentException(prefix + ".cert-path " + host.certPath() + " is not a folder");
        }
        if (host.maxClusters() < 0 || host.maxNodes() < 0) {
            throw new IllegalArgumentException(prefix + ".max-clusters and max-nodes must be 0 (no limit) or more");
        }
    }

    /** Every host, in configured order. */
    public List<DockerHost> all() {
        return List.copyOf(hosts.values());
    }

    public Optional<DockerHost> find(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    /**
     * The named host.
     *
     * @throws DockerEngineException when no host of that name is configured (any more)
     */
    public DockerHost get(String name) {
        return find(name).orElseThrow(() -> new DockerEngineException(name, "host",
                new IllegalStateException("Docker host " + name + " is not configured (any more); configured: "
                        + String.join(", ", hosts.keySet()))));
    }

    @PreDestroy
    void close() {
        for (Closeable client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                // closing at shutdown: nothing left to do about it
            }
        }
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
