package io.dindclusters.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.dindclusters.cluster.Bootstrap;
import io.dindclusters.cluster.ClusterSpec;
import io.dindclusters.docker.EngineFacts;
import io.dindclusters.kube.KubernetesProperties;
import io.dindclusters.network.IpMode;
import io.dindclusters.network.NetworkSpec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What kind nodes get on top of a container, decided without an engine. */
class KindNodesTest {

    private static final ClusterSpec DUAL = new ClusterSpec("c1", IpMode.dual, 1, "kindest/node:v1.33.1",
            Bootstrap.kubeadm, new NetworkSpec("10.250.0.0/24,fd00:d1d:a::/64", "10.192.0.0/20,fd00:d1d:b::/64",
            "10.208.0.0/20,fd00:d1d:c::/112", null, null, null, null, null), Map.of(), "PT1H", null, null, null);

    private static KubernetesProperties kubernetes(String httpProxy, String httpsProxy, String noProxy) {
        return new KubernetesProperties("127.0.0.1", null, null, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), httpProxy, httpsProxy, noProxy);
    }

    @Test
    void controlPlanesFindTheAdminKubeconfigAndNoProxyIsSetUnlessConfigured() {
        assertThat(KindNodes.environment(DUAL, true, kubernetes(null, null, null)))
                .containsExactly(Map.entry("KUBECONFIG", "/etc/kubernetes/admin.conf"));
        assertThat(KindNodes.environment(DUAL, false, kubernetes(null, "", "example.internal"))).isEmpty();
    }

    @Test
    void proxiesReachImagePullsButNotTheClustersOwnAddresses() {
        Map<String, String> env = KindNodes.environment(DUAL, false,
                kubernetes("http://proxy.internal:3128", null, "registry.internal"));
        assertThat(env).containsEntry("HTTP_PROXY", "http://proxy.internal:3128")
                .containsEntry("http_proxy", "http://proxy.internal:3128")
                .doesNotContainKeys("HTTPS_PROXY", "https_proxy", "KUBECONFIG");
        assertThat(env.get("NO_PROXY")).isEqualTo(env.get("no_proxy")).isEqualTo("registry.internal,10.250.0.0/24,"
                + "fd00:d1d:a::/64,10.192.0.0/20,fd00:d1d:b::/64,10.208.0.0/20,fd00:d1d:c::/112,localhost,127.0.0.1,"
                + "::1,.svc,.svc.cluster,.svc.cluster.local");
    }

    @Test
    void nodesBindDeviceMapperWhereKubeletNeedsItToFindTheRootDevice() {
        assertThat(new EngineFacts("overlay2", "extfs", false).nodesNeedDeviceMapper()).isFalse();
        assertThat(new EngineFacts("overlay2", "xfs", false).nodesNeedDeviceMapper()).isFalse();
        assertThat(new EngineFacts("overlay2", "btrfs", false).nodesNeedDeviceMapper()).isTrue();
        assertThat(new EngineFacts("btrfs", "", false).nodesNeedDeviceMapper()).isTrue();
        assertThat(new EngineFacts("zfs", "zfs", false).nodesNeedDeviceMapper()).isTrue();
        assertThat(new EngineFacts("devicemapper", "xfs", false).nodesNeedDeviceMapper()).isTrue();
    }

    @Test
    void ipv6ClustersPublishOnTheIpv6CounterpartOfTheIpv4Address() {
        assertThat(KubernetesProperties.ipv6Counterpart("127.0.0.1")).isEqualTo("::1");
        assertThat(KubernetesProperties.ipv6Counterpart("0.0.0.0")).isEqualTo("::");
    }

    @Test
    void theUnprivilegedPreludeIsFixedTextThatEndsInTheImagesOwnCommand() {
        assertThat(KindNodes.unprivilegedEntrypoint()).startsWith("#!/bin/sh").contains("UNSUPPORTED")
                .endsWith("exec \"$@\"\n").doesNotContain("${");
    }
}
