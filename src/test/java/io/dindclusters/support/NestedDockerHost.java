package io.dindclusters.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.dindclusters.docker.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.awaitility.Awaitility;

/**
 * A second Docker engine for tests of several Docker hosts: Debian's dockerd inside a container of the first engine,
 * on a network of its own, reached over TCP with TLS and client certificates (made by the container at start). It
 * runs with the capability profile that works where --privileged is refused, and gets the node image loaded from the
 * first engine (no registry here). Its container and network carry a "test-" instance label, so
 * {@link TestDockerObjectsReaper} removes them, and everything inside with them, whatever happens.
 */
public final class NestedDockerHost implements AutoCloseable {

    private static final Map<String, String> LABELS = Map.of(Labels.INSTANCE, TestRun.instance("nested-docker-host"));
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    /** Outside the service's default pools and Docker's default address pools; this run's own. */
    private static final String SUBNET = TestRun.subnet24(198);

    private final String name;
    private final String networkId;
    private final String address;
    private final Path certs;
    private final DockerClient client;

    private NestedDockerHost(String name, String networkId, String address, Path certs, DockerClient client) {
        this.name = name;
        this.networkId = networkId;
        this.address = address;
        this.certs = certs;
        this.client = client;
    }

    /** Starts a nested engine in a container called {@code name}, with {@link TestImages#NODE} loaded. */
    public static NestedDockerHost start(String name) {
        DockerClient outer = TestDocker.client();
        String image = TestImageBuilder.ensure("docker-host");
        OutsideWorld.remove(name);
        // A subnet of its own choosing, so that the container can rejoin at its old address after disconnect().
        String network = outer.createNetworkCmd().withName(name).withDriver("bridge").withLabels(LABELS)
                .withIpam(new com.github.dockerjava.api.model.Network.Ipam().withConfig(
                        new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(SUBNET)))
                .withCheckDuplicate(true).exec().getId();
        HostConfig host = HostConfig.newHostConfig().withNetworkMode(name)
                .withCapAdd(Capability.ALL).withCapDrop(Capability.SYS_RESOURCE)
                // systempaths=unconfined is the docker CLI's, not the API's: the entry point remounts /proc/sys
                .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
                .withDeviceCgroupRules(List.of("a *:* rwm"))
                .withTmpFs(Map.of("/run", "rw", "/tmp", "rw"));
        String id = outer.createContainerCmd(image).withName(name).withHostName(name).withLabels(LABELS)
                .withVolumes(new Volume("/var/lib/docker")).withHostConfig(host).exec().getId();
        outer.startContainerCmd(id).exec();
        String address = outer.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks().get(name)
                .getIpAddress();
        try {
            Path certs = Files.createTempDirectory("nested-docker-host-");
            Awaitility.await("client certificates of " + name).atMost(START_DEADLINE)
                    .pollInterval(Duration.ofMillis(200))
                    // until the engine inside has written them, /certs/client is not there
                    .ignoreException(com.github.dockerjava.api.exception.NotFoundException.class)
                    .until(() -> copyClientCertificates(outer, id, certs));
            DockerClient client = connect("tcp://" + address + ":2376", certs);
            Awaitility.await("the engine in " + name).atMost(START_DEADLINE).pollInterval(Duration.ofMillis(200))
                    // until it listens, the connection is refused; anything else (a TLS error, say) ends the wait
                    .ignoreExceptionsMatching(NestedDockerHost::refused).until(() -> {
                        client.pingCmd().exec();
                        return true;
                    });
            try (InputStream saved = outer.saveImageCmd(TestImages.NODE).exec()) {
                client.loadImageCmd(saved).exec();
            }
            return new NestedDockerHost(name, network, address, certs, client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** tcp://ADDRESS:2376, for dind.docker.hosts[i].url. */
    public String url() {
        return "tcp://" + address + ":2376";
    }

    /** The folder with ca.pem, cert.pem and key.pem, for dind.docker.hosts[i].cert-path. */
    public String certPath() {
        return certs.toString();
    }

    /** The address the nested engine's published ports are reached at, from the first engine's host. */
    public String address() {
        return address;
    }

    /** A client of the nested engine, to check what really exists there. */
    public DockerClient client() {
        return client;
    }

    /** Cuts the nested engine off its network: to the service it is gone, while everything in it keeps running. */
    public void disconnect() {
        TestDocker.client().disconnectFromNetworkCmd().withNetworkId(networkId).withContainerId(name).withForce(true)
                .exec();
    }

    /** Joins it to its network again at its old address, unless it is on it. */
    public void reconnect() {
        if (TestDocker.client().inspectContainerCmd(name).exec().getNetworkSettings().getNetworks().containsKey(name)) {
            return;
        }
        TestDocker.client().connectToNetworkCmd().withNetworkId(networkId).withContainerId(name)
                .withContainerNetwork(new com.github.dockerjava.api.model.ContainerNetwork()
                        .withIpamConfig(new com.github.dockerjava.api.model.ContainerNetwork.Ipam()
                                .withIpv4Address(address)))
                .exec();
    }

    @Override
    public void close() throws IOException {
        client.close();
        OutsideWorld.remove(name);
        try {
            TestDocker.client().removeNetworkCmd(networkId).exec();
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            // already gone
        }
        try (var files = Files.walk(certs)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static DockerClient connect(String url, Path certs) {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(url)
                .withDockerTlsVerify(true).withDockerCertPath(certs.toString()).build();
        return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(120)).build());
    }

    /** Copies /certs/client out of the container; false until the container has written all of it. */
    private static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static boolean copyClientCertificates(DockerClient outer, String id, Path target) throws IOException {
        try (var tar = new TarArchiveInputStream(outer.copyArchiveFromContainerCmd(id, "/certs/client").exec())) {
            int found = 0;
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String file = Path.of(entry.getName()).getFileName().toString();
                if (!entry.isDirectory() && List.of("ca.pem", "cert.pem", "key.pem").contains(file)) {
                    Files.write(target.resolve(file), tar.readAllBytes());
                    found++;
                }
            }
            return found == 3;
        }
    }
}
