package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.support.Api;
import io.dindclusters.support.KubeadmServiceTest;
import io.dindclusters.support.OutsideWorld;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImageBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pod network install-cni sets up, with no Kubernetes: after a kubeadm cluster of the kind-node-double image is
 * RUNNING, "pods" are network namespaces inside its nodes, wired by the real CNI plugins of /opt/cni/bin (Debian's
 * containernetworking-plugins, the set kindest/node ships) with the exact configuration the step wrote, ADD then
 * DEL, as containerd calls them. Then real packets: pod to pod across nodes in each family, with the source address
 * the other pod sees, a pod reaching the test's outside world (ipv4, dual) or resolving an A-only name through
 * DNS64 and fetching it through NAT64 (ipv6), and nothing left on the node after DEL.
 */
@KubeadmServiceTest
class PodNetworkTest {

    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final String PREFIX = Ipv6OnlyClusterTest.PREFIX;
    private static final Pattern MTU = Pattern.compile(" mtu (\\d+) ");
    private static String image;
    private static OutsideWorld world;

    @LocalServerPort
    int port;

    @BeforeAll
    static void images() {
        image = TestImageBuilder.ensure("kind-node-double");
        world = OutsideWorld.get();
    }

    /** A pod: its node, its namespace and the addresses the CNI result gave it, one per family. */
    record Pod(String node, String name, List<String> addresses) {
        String of(boolean ipv4) {
            return addresses.stream().filter(a -> a.contains(".") == ipv4).findFirst().orElseThrow();
        }

        TestDocker.Result run(String... argv) {
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name));
            command.addAll(List.of(argv));
            return TestDocker.exec(node, command.toArray(String[]::new));
        }
    }

    private static Pod add(String node, String name) {
        JsonNode result = JsonMapper.builder().build().readTree(TestDocker.exec(node, "cni-pod", "add", name).ok());
        List<String> addresses = new ArrayList<>();
        result.get("ips").forEach(ip -> addresses.add(ip.get("address").asString().replaceAll("/\\d+$", "")));
        return new Pod(node, name, addresses);
    }

    private static int mtu(String linkLine) {
        Matcher m = MTU.matcher(linkLine);
        assertThat(m.find()).as(linkLine).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ipv4", "ipv6", "dual"})
    void podsReachEachOtherAcrossNodesWithTheirOwnAddressesAndTheWorldBeyondTheCluster(String mode) {
        Api api = new Api(port);
        String name = "pods-" + mode + "-" + UUID.randomUUID().toString().substring(0, 4);
        String network = "";
        if (mode.equals("ipv6")) {
            String dns = world.startDns(name + "-dns", "fd00:dead::1");
            network = ",\"network\":{\"dns64Prefix\":\"" + PREFIX + "\",\"remoteDns64V4Server\":\"" + dns + "\"}";
        }
        String id = null;
        try {
            Api.Response created = api.post("/clusters", "{\"name\":\"" + name + "\",\"ipMode\":\"" + mode
                    + "\",\"workers\":1,\"nodeImage\":\"" + image + "\"" + network + "}");
            assertThat(created.status()).as(created.body()).isEqualTo(202);
            id = created.json().get("id").asString();
            api.awaitStatus(id, "RUNNING", SETTLE);
            String cp = name + "-control-plane";
            String worker = name + "-worker";

            Pod a = add(cp, "pod-a");
            Pod b = add(worker, "pod-b");

            List<Boolean> families = switch (mode) {
                case "ipv4" -> List.of(true);
                case "ipv6" -> List.of(false);
                default -> List.of(true, false);
            };
            assertThat(a.addresses()).hasSize(families.size());
            assertThat(mtu(a.run("ip", "-o", "link", "show", "eth0").ok()))
                    .isEqualTo(mtu(TestDocker.exec(cp, "ip", "-o", "link", "show", "eth0").ok()));
            for (boolean ipv4 : families) {
                String to = b.of(ipv4);
                assertThat(a.run("ping", "-c", "1", "-W", "5", to).exitCode()).as("ping " + to).isZero();
                // pod-b tells who connected: pod-a's own address, not its node's (no masquerade between pods)
                TestDocker.execDetached(worker, "ip", "netns", "exec", "pod-b", "timeout", "20", "socat",
                        ipv4 ? "TCP4-LISTEN:7000,reuseaddr" : "TCP6-LISTEN:7000,reuseaddr",
                        "SYSTEM:echo $SOCAT_PEERADDR");
                // connect only once it listens (a detached start returns before socat binds): at most 10 s
                boolean listening = false;
                for (int i = 0; i < 100 && !listening; i++) {
                    listening = !TestDocker.exec(worker, "ip", "netns", "exec", "pod-b", "ss", "-Hltn", "sport = :7000")
                            .output().isBlank();
                    if (!listening) {
                        sleep();
                    }
                }
                assertThat(listening).as("pod-b listens on port 7000").isTrue();
                var reply = a.run("socat", "-T", "5", "-", ipv4 ? "TCP4:" + to + ":7000" : "TCP6:[" + to + "]:7000");
                assertThat(reply.exitCode()).as(reply.output()).isZero();
                String seen = reply.output().strip();
                assertThat(address(seen)).as(seen).isEqualTo(address(a.of(ipv4)));
            }
            if (mode.equals("ipv6")) {
                assertThat(a.run("dig", "+short", "+time=2", "+tries=2", "AAAA", OutsideWorld.V4_ONLY).ok())
                        .startsWith(PREFIX.substring(0, PREFIX.indexOf("::")));
                assertThat(a.run("curl", "-sS", "-m", "10", "http://" + OutsideWorld.V4_ONLY + "/").ok().strip())
                        .isEqualTo(OutsideWorld.V4_BODY);
            } else {
                assertThat(a.run("curl", "-sS", "-m", "10", "http://" + world.http4Address() + "/").ok().strip())
                        .isEqualTo(OutsideWorld.V4_BODY);
            }

            for (Pod pod : List.of(a, b)) {
                TestDocker.exec(pod.node(), "cni-pod", "del", pod.name()).ok();
                // ptp's host ends are veth*; the node's own eth0 and eth1 are Docker's veths and stay
                assertThat(TestDocker.exec(pod.node(), "ip", "-o", "link", "show", "type", "veth").output().lines()
                        .map(l -> l.split(": ")[1])).noneMatch(link -> link.startsWith("veth"));
                for (String address : pod.addresses()) {
                    assertThat(TestDocker.exec(pod.node(), "ip", "route", "show", "to", address).output()).isBlank();
                    assertThat(TestDocker.exec(pod.node(), "ip", "-o", "address", "show").output())
                            .doesNotContain(" " + address + "/");
                }
                assertThat(TestDocker.exec(pod.node(), "ls", "/run/cni-ipam-state/dind-clusters").output())
                        .doesNotContain(pod.addresses().get(0));
            }
        } finally {
            if (id != null) {
                api.delete("/clusters/" + id);
                api.awaitStatus(id, "DELETED", SETTLE);
                assertThat(TestDocker.objectsOfCluster(id)).isZero();
            }
            OutsideWorld.remove(name + "-dns");
        }
    }

    private static java.net.InetAddress address(String literal) {
        try {
            return java.net.InetAddress.getByName(literal.replace("[", "").replace("]", ""));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("not an address: " + literal, e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
