package io.dindclusters.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import io.dindclusters.docker.Labels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.awaitility.Awaitility;

/**
 * A stand-in for the IPv4-only outside world, made of containers on an {@code --internal} IPv4-only Docker network,
 * so that no packet ever leaves this machine: an HTTP server reachable only over IPv4, authoritative DNS servers for
 * {@code outside.test}, and HTTP servers over IPv6 placed on a cluster's own network. The service under test joins
 * clusters to this network as their uplink ({@link UplinkServiceTest}). Its names and instance label are this test
 * run's, so {@link TestDockerObjectsReaper} removes it after the run and a run beside this one has its own.
 */
public final class OutsideWorld {

    /** The uplink setting for service annotations; the placeholder is resolved to {@link #NETWORK}. */
    public static final String UPLINK = "dind.network.uplink=dind-clusters-test-${dind.test.run}-outside";
    public static final String NETWORK = TestRun.name("outside");
    public static final String ZONE = "outside.test";
    /** A name with only an A record, and one with A and AAAA records. */
    public static final String V4_ONLY = "v4only." + ZONE;
    public static final String DUAL = "dual." + ZONE;
    public static final String V4_BODY = "outside-v4";
    public static final String V6_BODY = "outside-v6";

    private static final Map<String, String> LABELS = Map.of(Labels.INSTANCE, TestRun.instance("outside-world"));
    private static final DockerClient DOCKER = TestDocker.client();
    private static OutsideWorld instance;

    private final String image;
    private final String http4Address;

    private OutsideWorld(String image, String http4Address) {
        this.image = image;
        this.http4Address = http4Address;
    }

    /** The outside network, its image and its IPv4 HTTP server, made once per test run. */
    public static synchronized OutsideWorld get() {
        if (instance == null) {
            String image = TestImageBuilder.ensure("outside");
            ensureNetwork();
            String http4 = TestRun.name("http4");
            removeIfPresent(http4);
            String address = run(image, http4, NETWORK, null, httpCommand(), Map.of("/www/index.html", V4_BODY + "\n"));
            instance = new OutsideWorld(image, address);
        }
        return instance;
    }

    /** The IPv4 address of the HTTP server that answers {@value #V4_BODY}. */
    public String http4Address() {
        return http4Address;
    }

    /**
     * Starts an authoritative DNS server for {@value #ZONE} on the outside network: {@value #V4_ONLY} and
     * {@value #DUAL} resolve to the IPv4 HTTP server, and {@value #DUAL} also to {@code dualAaaa}.
     *
     * @return its IPv4 address, once it answers
     */
    public String startDns(String name, String dualAaaa) {
        String zone = "$TTL 60\n"
                + "@ IN SOA ns." + ZONE + ". admin." + ZONE + ". 1 60 60 60 60\n"
                + "@ IN NS ns." + ZONE + ".\n"
                + "ns IN A 127.0.0.1\n"
                + "v4only IN A " + http4Address + "\n"
                + "dual IN A " + http4Address + "\n"
                + "dual IN AAAA " + dualAaaa + "\n";
        String conf = "options {\n\tdirectory \"/var/cache/bind\";\n\tlisten-on { any; };\n\tlisten-on-v6 { none; };\n"
                + "\tallow-query { any; };\n\trecursion no;\n\tdnssec-validation no;\n};\n"
                + "zone \"" + ZONE + "\" { type primary; file \"/etc/bind/db.outside\"; };\n";
        removeIfPresent(name);
        String address = run(image, name, NETWORK, null, List.of("named", "-g", "-u", "bind"),
                Map.of("/etc/bind/named.conf", conf, "/etc/bind/db.outside", zone));
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                TestDocker.exec(name, "dig", "+short", "+time=1", "+tries=1", "@127.0.0.1", V4_ONLY, "A")
                        .output().strip().equals(http4Address));
        return address;
    }

    /** Starts an HTTP server that answers {@value #V6_BODY} at a fixed IPv6 address on a cluster's network. */
    public void startHttp6(String name, String network, String ipv6Address) {
        removeIfPresent(name);
        run(image, name, network, ipv6Address, httpCommand(), Map.of("/www/index.html", V6_BODY + "\n"));
    }

    public static void remove(String name) {
        removeIfPresent(name);
    }

    private static List<String> httpCommand() {
        return List.of("busybox", "httpd", "-f", "-p", "80", "-h", "/www");
    }

    /** Creates, fills and starts a container; returns its IPv4 address on {@code network}. */
    private static String run(String image, String name, String network, String ipv6Address, List<String> command,
                              Map<String, String> files) {
        var create = DOCKER.createContainerCmd(image).withName(name).withLabels(LABELS).withCmd(command)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network)
                        .withSysctls(Map.of("net.ipv6.conf.all.disable_ipv6", "0")));
        if (ipv6Address != null) {
            create.withIpv6Address(ipv6Address);
        }
        String id = create.exec().getId();
        DOCKER.copyArchiveToContainerCmd(id).withRemotePath("/").withTarInputStream(tar(files)).exec();
        DOCKER.startContainerCmd(id).exec();
        ContainerNetwork on = DOCKER.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks().get(network);
        return on.getIpAddress();
    }

    private static InputStream tar(Map<String, String> files) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new TarArchiveOutputStream(bytes)) {
            for (var file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                var entry = new TarArchiveEntry(file.getKey().substring(1));
                entry.setSize(content.length);
                entry.setMode(0644);
                out.putArchiveEntry(entry);
                out.write(content);
                out.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private static void ensureNetwork() {
        if (DOCKER.listNetworksCmd().withNameFilter(NETWORK).exec().stream().noneMatch(n -> n.getName().equals(NETWORK))) {
            // --internal: nothing on it reaches beyond this machine's Docker networks.
            DOCKER.createNetworkCmd().withName(NETWORK).withDriver("bridge").withInternal(true).withLabels(LABELS).exec();
        }
    }

    private static void removeIfPresent(String name) {
        try {
            DOCKER.removeContainerCmd(name).withForce(true).exec();
        } catch (NotFoundException e) {
            // not there
        }
    }

}
