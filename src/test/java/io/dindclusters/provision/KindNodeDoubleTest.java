package io.dindclusters.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import io.dindclusters.docker.Labels;
import io.dindclusters.support.TestDocker;
import io.dindclusters.support.TestImageBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kind-node-double image refuses what a kindest/node image and kubeadm, kubectl and systemctl refuse, so the
 * pipeline tests that pass on it would fail where a real node would: an entrypoint that is not PID 1, a node without
 * privileges, a node without an IPv4 default route while it boots; systemctl before systemd runs; kubeadm with an
 * unknown flag, without a readable or parsable config, with a config API its Kubernetes version does not take, or
 * joining where nothing answers.
 */
@org.junit.jupiter.api.Tag("docker")
class KindNodeDoubleTest {

    private static final Map<String, String> LABELS = Map.of(Labels.INSTANCE, io.dindclusters.support.TestRun.instance("kind-node-double"));
    private static String image;
    private String container;

    @BeforeAll
    static void image() {
        image = TestImageBuilder.ensure("kind-node-double");
    }

    @AfterEach
    void remove() {
        if (container != null) {
            TestDocker.client().removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec();
        }
    }

    /** Starts a container of the double image with this host configuration; entrypoint and command as given. */
    private String start(Consumer<HostConfig> host, List<String> entrypoint, List<String> command,
                         Map<String, String> files) {
        HostConfig config = HostConfig.newHostConfig().withInit(false).withCgroupnsMode("private")
                .withTmpFs(Map.of("/run", "rw", "/tmp", "rw"));
        host.accept(config);
        var create = TestDocker.client().createContainerCmd(image).withLabels(LABELS)
                .withName("test-double-" + UUID.randomUUID().toString().substring(0, 8)).withHostConfig(config);
        if (!entrypoint.isEmpty()) {
            create.withEntrypoint(entrypoint);
        }
        if (!command.isEmpty()) {
            create.withCmd(command);
        }
        container = create.exec().getId();
        if (!files.isEmpty()) {
            var tar = new java.io.ByteArrayOutputStream();
            try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tar)) {
                for (var file : files.entrySet()) {
                    byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
                    var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(file.getKey().substring(1));
                    entry.setSize(bytes.length);
                    out.putArchiveEntry(entry);
                    out.write(bytes);
                    out.closeArchiveEntry();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            TestDocker.client().copyArchiveToContainerCmd(container).withRemotePath("/")
                    .withTarInputStream(new java.io.ByteArrayInputStream(tar.toByteArray())).exec();
        }
        TestDocker.client().startContainerCmd(container).exec();
        return container;
    }

    private static void capabilities(HostConfig host) {
        host.withCapAdd(Capability.ALL).withCapDrop(Capability.SYS_RESOURCE)
                .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
                .withDeviceCgroupRules(List.of("a *:* rwm"));
    }

    /** The container exits non-zero and says why in its log, as a kind node whose entrypoint failed does. */
    private static void assertDiesSaying(String container, String words) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                !Boolean.TRUE.equals(TestDocker.client().inspectContainerCmd(container).exec().getState().getRunning()));
        assertThat(TestDocker.client().inspectContainerCmd(container).exec().getState().getExitCodeLong()).isEqualTo(1);
        StringBuilder log = new StringBuilder();
        try {
            TestDocker.client().logContainerCmd(container).withStdErr(true).withStdOut(true)
                    .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                        @Override
                        public void onNext(com.github.dockerjava.api.model.Frame frame) {
                            synchronized (log) {
                                log.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                            }
                        }
                    }).awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (log) {
            assertThat(log.toString()).contains(words);
        }
    }

    private static final String PRELUDE = KindNodes.unprivilegedEntrypoint();
    private static final List<String> PRELUDE_ENTRYPOINT = List.of("/bin/sh", KindNodes.UNPRIVILEGED_ENTRYPOINT);
    private static final List<String> KIND_COMMAND = List.of("/usr/local/bin/entrypoint", "/sbin/init");

    @Test
    void theEntrypointDiesWhenItIsNotPid1() {
        assertDiesSaying(start(h -> {
            capabilities(h);
            h.withInit(true);
        }, List.of(), List.of(), Map.of()), "is not PID 1");
    }

    @Test
    void theEntrypointDiesWithoutPrivileges() {
        assertDiesSaying(start(h -> { }, List.of(), List.of(), Map.of()), "the node is not privileged");
        remove();
        // all capabilities are not enough: /sys and the cgroup file system stay read-only
        assertDiesSaying(start(KindNodeDoubleTest::capabilities, List.of(), List.of(), Map.of()),
                "the node is not privileged");
    }

    @Test
    void theEntrypointDiesWithoutAnIpv4DefaultRouteWhileItRuns() {
        assertDiesSaying(start(h -> {
            capabilities(h);
            h.withNetworkMode("none");
        }, PRELUDE_ENTRYPOINT, KIND_COMMAND, Map.of(KindNodes.UNPRIVILEGED_ENTRYPOINT, PRELUDE)),
                "no IPv4 default route");
    }

    @Test
    void systemctlSaysSystemdIsNotThereUntilInitIsPid1AndThenStartingBeforeRunning() {
        String node = start(KindNodeDoubleTest::capabilities, PRELUDE_ENTRYPOINT, KIND_COMMAND,
                Map.of(KindNodes.UNPRIVILEGED_ENTRYPOINT, PRELUDE));
        List<String> seen = new java.util.ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            String state = TestDocker.exec(node, "systemctl", "is-system-running").output().lines()
                    .filter(l -> !l.startsWith("System has not")).findFirst().orElse("").strip();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
                seen.add(state);
            }
            return state.equals("running");
        });
        assertThat(seen).containsSubsequence("offline", "starting", "running");
        assertThat(TestDocker.exec(node, "systemctl", "is-system-running").exitCode()).isZero();
        assertThat(TestDocker.exec(node, "cat", "/etc/resolv.conf").output()).contains("rewritten by the kind entrypoint");
    }

    @Test
    void kubeadmRefusesWhatTheRealOneRefuses() {
        String node = start(h -> { }, List.of("/bin/sleep"), List.of("60"), Map.of(
                "/srv/bad.yaml", "apiVersion: [unclosed\n",
                "/srv/v1beta4.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n",
                "/srv/v1beta4-map.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n"
                        + "nodeRegistration:\n  kubeletExtraArgs:\n    node-ip: 10.0.0.2\n",
                "/srv/join.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\ndiscovery:\n"
                        + "  bootstrapToken:\n    apiServerEndpoint: 127.0.0.1:6443\n    token: abcdef.0123456789abcdef\n"
                        + "timeouts:\n  discovery: 2s\n",
                "/srv/v1beta3.yaml", "apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\n",
                "/srv/version-1.30", "v1.30.13\n"));
        assertRefused(node, "unknown flag: --bogus", "kubeadm", "init", "--config=/srv/v1beta4.yaml", "--bogus");
        assertRefused(node, "unknown flag: --skip-token-print", "kubeadm", "join", "--config=/srv/join.yaml",
                "--skip-token-print");
        assertRefused(node, "needs --config", "kubeadm", "init");
        assertRefused(node, "unable to read config from \"/srv/missing.yaml\"", "kubeadm", "init",
                "--config=/srv/missing.yaml");
        assertRefused(node, "error converting YAML to JSON", "kubeadm", "init", "--config=/srv/bad.yaml");
        assertRefused(node, "cannot unmarshal dict into the kubeadm.k8s.io/v1beta4 form of nodeRegistration."
                + "kubeletExtraArgs", "kubeadm", "init", "--config=/srv/v1beta4-map.yaml");
        assertRefused(node, "Failed to request cluster-info from https://127.0.0.1:6443", "kubeadm", "join",
                "--config=/srv/join.yaml");
        assertThat(TestDocker.exec(node, "cp", "/srv/version-1.30", "/kind/version").exitCode()).isZero();
        assertRefused(node, "no kind \"InitConfiguration\" is registered for version \"kubeadm.k8s.io/v1beta4\"",
                "kubeadm", "init", "--config=/srv/v1beta4.yaml");
        // the kubelet needs /dev/kmsg and writable kernel settings, which an unprivileged container lacks
        assertRefused(node, "open /dev/kmsg", "kubeadm", "init", "--config=/srv/v1beta3.yaml");
        assertRefused(node, "no such file or directory", "kubectl", "--kubeconfig=/etc/kubernetes/admin.conf",
                "get", "nodes", "x");
        assertRefused(node, "The connection to the server localhost:8080 was refused", "kubectl", "get", "nodes", "x");
        assertRefused(node, "Can't operate", "systemctl", "is-system-running");
    }

    private static void assertRefused(String node, String words, String... argv) {
        TestDocker.Result result = TestDocker.exec(node, argv);
        assertThat(result.exitCode()).as(String.join(" ", argv) + ": " + result.output()).isNotZero();
        assertThat(result.output()).as(String.join(" ", argv)).contains(words);
    }
}
