package io.dindclusters.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The node image allow-list: what each pattern lets through and what it does not. */
class NodeImagePolicyTest {

    private static NodeImagePolicy policy(String defaultImage, String... patterns) {
        return new NodeImagePolicy(new ClusterProperties(defaultImage, 100, Duration.ofHours(8), Duration.ofHours(72),
                Duration.ofSeconds(15), Duration.ofMinutes(30), Duration.ofHours(24), List.of(patterns)));
    }

    @ParameterizedTest(name = "{0} allows {1}: {2}")
    @CsvSource({
            "kindest/node:*, kindest/node:v1.33.1, true",
            "kindest/node:*, kindest/node:v1.33.1@sha256:05d3ba0e3a3fb1d9c3d6c1a05e2fa2f2b39f9bf0e6b7d9b3f0b9bd56b6c1a7e1, true",
            "kindest/node:*, docker.io/kindest/node:v1.30.13, true",
            "kindest/node:*, kindest/node, true",
            "kindest/node:*, kindest/node-evil:v1, false",
            "kindest/node:*, kindest/nodes:v1, false",
            "kindest/node:*, evil.example/kindest/node:v1, false",
            "kindest/node:*, kindest/node:v1/../../x, false",
            "kindest/node:*, registry.example/kindest/node:v1, false",
            "registry.internal/k8s/node:*, registry.internal/k8s/node:v1.33.1, true",
            "registry.internal/k8s/node:*, registry.internal/k8s/node/sub:v1, false",
            "registry.internal/*/node:*, registry.internal/team-a/node:v1, true",
            "registry.internal/*/node:*, registry.internal/a/b/node:v1, false",
            "kindest/node@sha256:abc, kindest/node@sha256:abc, true",
            "kindest/node@sha256:abc, kindest/node@sha256:abd, false",
            "kindest/node@sha256:abc, kindest/node:v1, false",
            "debian:*, docker.io/library/debian:12, true",
            "localhost/dind-clusters/*, localhost/dind-clusters/debian-base:bookworm, true",
            "localhost/dind-clusters/*, localhost/dind-clusters/x/y:1, false",
            "127.0.0.1:*/*/*, 127.0.0.1:5000/dind-test/pulled-node:1, true",
            "127.0.0.1:*/*/*, 127.0.0.2:5000/dind-test/pulled-node:1, false"})
    void matchesWholeReferencesWithStarsWithinOneComponent(String pattern, String image, boolean allowed) {
        assertThat(policy("kindest/node:v1.33.1", pattern).allows(image)).isEqualTo(allowed);
    }

    @Test
    void withoutPatternsTheDefaultImagesRepositoryIsAllowedWithAnyTag() {
        NodeImagePolicy policy = policy("kindest/node:v1.33.1@sha256:abc");
        assertThat(policy.allows("kindest/node:v1.30.13")).isTrue();
        assertThat(policy.allows("kindest/node:v1.33.1@sha256:abc")).isTrue();
        assertThat(policy.allows("other/node:v1")).isFalse();
        assertThat(policy("localhost:5000/k8s/node:1").allows("localhost:5000/k8s/node:2")).isTrue();
    }

    @Test
    void aRefusalNamesTheFieldAndHowManyPatternsButNotThePatterns() {
        NodeImagePolicy policy = policy("kindest/node:v1.33.1", "kindest/node:*", "registry.internal/secret/*");
        assertThatThrownBy(() -> policy.check("evil/root:latest"))
                .isInstanceOfSatisfying(NodeImagePolicy.NotAllowed.class, e -> {
                    assertThat(e.getStatusCode().value()).isEqualTo(403);
                    assertThat(e.getBody().getTitle()).isEqualTo("Node image not allowed");
                    assertThat(e.getBody().getDetail()).contains("evil/root:latest", "2 pattern(s)")
                            .doesNotContain("registry.internal", "kindest/node:*");
                    assertThat(e.getBody().getProperties().get("errors").toString()).contains("nodeImage");
                });
    }
}
