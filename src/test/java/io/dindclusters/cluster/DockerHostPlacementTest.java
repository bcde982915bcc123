package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dindclusters.docker.DockerHost;
import io.dindclusters.docker.DockerHostProperties;
import io.dindclusters.docker.DockerHosts;
import io.dindclusters.docker.DockerProperties;
import io.dindclusters.docker.ImageProperties;
import io.dindclusters.docker.NodeSecurity;
import io.dindclusters.docker.UplinkProperties;
import io.dindclusters.kube.KubernetesProperties;
import io.dindclusters.network.IpMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which hosts a new cluster may go to, best first, and why the others may not. No engine is needed. */
class DockerHostPlacementTest {

    /** No host has a preflight report (not checked yet): none is out by one. */
    private static final java.util.function.BiFunction<String, IpMode,
            java.util.Optional<io.dindclusters.preflight.PreflightCheck>> NO_REPORTS = (host, mode) -> java.util.Optional.empty();

    @Test
    void aHostThatFailedACheckTheClusterNeedsIsPassedOverAnd422WhenEveryHostDid() {
        var noIpv6 = new io.dindclusters.preflight.PreflightCheck("ipv6", io.dindclusters.preflight.PreflightCheck.Status.fail,
                "net.ipv6.conf.all.disable_ipv6 = 1", "sysctl -w net.ipv6.conf.all.disable_ipv6=0");
        // "a" has IPv6 off (as its latest preflight found); what breaks is judged per address mode
        DockerHostPlacement placement = new DockerHostPlacement(hosts(host("a", 0, 0), host("b", 0, 0)),
                (host, mode) -> host.equals("a") && mode != IpMode.ipv4 ? java.util.Optional.of(noIpv6)
                        : java.util.Optional.empty());
        assertThat(names(placement.candidates(1, false, IpMode.ipv6, List.of()))).containsExactly("b");
        assertThat(names(placement.candidates(1, false, IpMode.ipv4, List.of()))).containsExactly("a", "b");

        DockerHostPlacement nowhere = new DockerHostPlacement(hosts(host("a", 0, 0), host("b", 0, 0)),
                (host, mode) -> mode == IpMode.ipv4 ? java.util.Optional.empty() : java.util.Optional.of(noIpv6));
        assertThatThrownBy(() -> nowhere.candidates(1, false, IpMode.dual, List.of()))
                .isInstanceOf(HostPreflightFailedException.class)
                .satisfies(e -> {
                    var problem = ((HostPreflightFailedException) e).getBody();
                    assertThat(problem.getStatus()).isEqualTo(422);
                    assertThat(problem.getProperties().get("dockerHosts").toString())
                            .contains("a=failed its preflight check ipv6: net.ipv6.conf.all.disable_ipv6 = 1")
                            .contains("b=failed its preflight check ipv6").contains("fix: sysctl");
                    assertThat(problem.getProperties().get("errors").toString()).contains("ipMode");
                });
    }

    @Test
    void prefersTheHostWithTheFewestLiveNodesAndKeepsTheConfiguredOrderOnTies() {
        DockerHostPlacement placement = placement(host("a", 0, 0), host("b", 0, 0), host("c", 0, 0));

        assertThat(names(placement.candidates(1, false, IpMode.ipv4, List.of()))).containsExactly("a", "b", "c");
        assertThat(names(placement.candidates(1, false, IpMode.ipv4, List.of(row("a", 2), row("b", 0), row("c", 0)))))
                .containsExactly("b", "c", "a");
        assertThat(names(placement.candidates(1, false, IpMode.ipv4, List.of(row("a", 0), row("b", 1), row("c", 0)))))
                .containsExactly("a", "c", "b");
    }

    @Test
    void leavesOutHostsWhoseLimitsTheClusterWouldBreak() {
        DockerHostPlacement placement = placement(host("a", 1, 0), host("b", 0, 4), host("c", 2, 4));
        List<ClusterRow> live = List.of(row("a", 0), row("b", 1), row("c", 1));

        assertThat(names(placement.candidates(2, false, IpMode.ipv4, live))).containsExactly("b", "c");
        assertThatThrownBy(() -> placement.candidates(3, false, IpMode.ipv4, live)).isInstanceOf(NoDockerHostException.class);
    }

    @Test
    void refusesWithEachHostsReasonWhenNoneCanTakeTheCluster() {
        DockerHostPlacement placement = placement(host("a", 1, 0), host("b", 0, 3));

        assertThatThrownBy(() -> placement.candidates(2, false, IpMode.ipv4, List.of(row("a", 0), row("b", 1))))
                .isInstanceOfSatisfying(NoDockerHostException.class, e -> {
                    assertThat(e.getStatusCode().value()).isEqualTo(503);
                    assertThat(e.getBody().getProperties()).containsEntry("dockerHosts", Map.of(
                            "a", "has 1 live clusters; its max-clusters is 1",
                            "b", "has 2 live nodes and this cluster asks for 2; its max-nodes is 3"));
                });
    }

    @Test
    void skipsAHostThatDidNotAnswerItsLastCheck() {
        DockerHosts hosts = hosts(host("gone", 0, 0), host("here", 0, 0));
        DockerHost gone = hosts.get("gone");
        assertThat(gone.check()).isTrue();

        assertThat(names(new DockerHostPlacement(hosts, NO_REPORTS).candidates(1, false, IpMode.ipv4, List.of(row("here", 5)))))
                .containsExactly("here");
        assertThat(gone.reachability().problem()).contains("cannot be reached");
    }

    @Test
    void kubernetesGoesOnlyWhereNodesMayRunPrivilegedAndIs422WhereNoHostAllowsIt() {
        DockerHostPlacement placement = new DockerHostPlacement(hosts(
                host("caps", NodeSecurity.capabilities, null), host("priv", NodeSecurity.privileged, null),
                host("allowed", NodeSecurity.capabilities, true), host("unknown", NodeSecurity.auto, null)), NO_REPORTS);
        assertThat(names(placement.candidates(1, true, IpMode.ipv4, List.of()))).containsExactly("priv", "allowed", "unknown");
        assertThat(names(placement.candidates(1, false, IpMode.ipv4, List.of())))
                .containsExactly("caps", "priv", "allowed", "unknown");

        DockerHostPlacement unprivileged = new DockerHostPlacement(hosts(host("caps", NodeSecurity.capabilities, null),
                host("caps2", NodeSecurity.capabilities, false)), NO_REPORTS);
        assertThat(names(unprivileged.candidates(1, false, IpMode.ipv4, List.of()))).containsExactly("caps", "caps2");
        assertThatThrownBy(() -> unprivileged.candidates(1, true, IpMode.ipv4, List.of()))
                .isInstanceOf(KubeadmNeedsPrivilegedException.class)
                .satisfies(e -> assertThat(((KubeadmNeedsPrivilegedException) e).getBody().getProperties())
                        .containsEntry("dockerHosts", java.util.Map.of("caps", DockerHostPlacement.NOT_PRIVILEGED,
                                "caps2", DockerHostPlacement.NOT_PRIVILEGED)));
    }

    /** Hosts on sockets that do not exist: nothing connects until a check or a placement asks. */
    private static DockerHostProperties host(String name, int maxClusters, int maxNodes) {
        return new DockerHostProperties(name, "unix:///nonexistent/" + name + ".sock", null, maxClusters, maxNodes,
                null, null, null, null, null, null);
    }

    private static DockerHostProperties host(String name, NodeSecurity security, Boolean unprivilegedKubeadm) {
        return new DockerHostProperties(name, "unix:///nonexistent/" + name + ".sock", null, 0, 0,
                null, null, null, security, null, unprivilegedKubeadm);
    }

    private static DockerHosts hosts(DockerHostProperties... hosts) {
        return new DockerHosts(new DockerProperties(null, List.of(hosts), "test-placement", NodeSecurity.auto,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10), false),
                new ImageProperties("base", Duration.ofMinutes(1), false, Duration.ofMinutes(1)),
                new KubernetesProperties("127.0.0.1", null, null, Duration.ofSeconds(1), Duration.ofSeconds(1),
                        Duration.ofSeconds(1), null, null, null),
                new UplinkProperties(null), new SimpleMeterRegistry());
    }

    private static DockerHostPlacement placement(DockerHostProperties... hosts) {
        return new DockerHostPlacement(hosts(hosts), NO_REPORTS);
    }

    private static ClusterRow row(String host, int workers) {
        ClusterSpec spec = new ClusterSpec("c-" + host + "-" + workers, null, workers, null, Bootstrap.none, null,
                Map.of(), "PT1H", null, null, null);
        Instant now = Instant.now();
        return new ClusterRow(host + workers, spec.name(), "local", host, spec, ClusterStatus.RUNNING, null,
                List.of(), List.of(), null, null, false, 0, now, now, now, null, null, 0, java.util.List.of());
    }

    private static List<String> names(List<DockerHost> hosts) {
        return new ArrayList<>(hosts.stream().map(DockerHost::name).toList());
    }
}
