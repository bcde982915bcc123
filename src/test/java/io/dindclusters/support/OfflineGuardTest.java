package io.dindclusters.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dindclusters.DindClustersApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;

/** The guard that keeps every service the tests start on this machine: what it lets through and what it refuses. */
class OfflineGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"localhost/dind-clusters/debian-base:bookworm", "localhost:5000/x/y:1",
            "127.0.0.1:9/dind-clusters/no-such-image:never", "127.0.0.1:37021/dind-test/pulled-node:1", "[::1]:5000/a:b"})
    void letsLocalRegistriesThrough(String image) {
        assertThat(OfflineGuard.isLocalImage(image)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian:bookworm-slim", "kindest/node:v1.33.1", "dind-clusters/debian-base:bookworm",
            "docker.io/library/debian:12", "registry.example.net:5000/node:1", "10.0.0.1:5000/node:1",
            "localhostx/a:b"})
    void refusesWhatWouldBePulledFromBeyondThisMachine(String image) {
        assertThat(OfflineGuard.isLocalImage(image)).isFalse();
    }

    @Test
    void dnsServersMayBeLoopbackOrPrivateTestNetworksOnly() {
        assertThat(OfflineGuard.isLocalDnsServer("127.0.0.1")).isTrue();
        assertThat(OfflineGuard.isLocalDnsServer("172.18.0.5")).isTrue();
        assertThat(OfflineGuard.isLocalDnsServer("fd00:7e57::53")).isTrue();
        assertThat(OfflineGuard.isLocalDnsServer("8.8.8.8")).isFalse();
        assertThat(OfflineGuard.isLocalDnsServer("2001:4860:4860::8888")).isFalse();
        assertThat(OfflineGuard.isLocalDnsServer("dns.example.net")).isFalse();
    }

    @Test
    void unsetPropertiesCountAsTheServicesPublicDefaults() {
        assertThat(OfflineGuard.problems(new MockEnvironment())).hasSize(3)
                .anyMatch(p -> p.startsWith("dind.clusters.default-node-image=kindest/node:v1.33.1@sha256:"))
                .anyMatch(p -> p.startsWith("dind.images.base=debian:bookworm-slim "))
                .anyMatch(p -> p.startsWith("dind.network.dns64.remote-server=8.8.8.8 "));
    }

    @Test
    void theOfflineTestDefaultsPass() {
        var environment = new MockEnvironment()
                .withProperty("dind.clusters.default-node-image", TestImages.NODE)
                .withProperty("dind.images.base", TestImages.NODE)
                .withProperty("dind.network.dns64.remote-server", "127.0.0.1");
        assertThat(OfflineGuard.problems(environment)).isEmpty();
    }

    @Test
    void aServiceConfiguredToReachOutDoesNotStart() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(DindClustersApplication.class).run("--server.port=0",
                "--dind.images.base=debian:bookworm-slim", "--logging.level.org.springframework.boot=OFF").close())
                .hasMessageContaining("a test would reach beyond this machine")
                .hasMessageContaining("dind.images.base=debian:bookworm-slim");
    }
}
