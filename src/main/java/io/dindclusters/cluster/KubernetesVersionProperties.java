package io.dindclusters.cluster;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kubernetes versions a spec may ask for by {@code kubernetesVersion}, each with its node image (a digest pins
 * exactly what runs). The shipped table (application.yml) holds the kindest/node images kind v0.29.0 published;
 * setting {@code dind.kubernetes.versions} replaces it as a whole. Its images still have to pass
 * {@code dind.clusters.allowed-node-images}.
 *
 * @param versions one entry per full version, such as v1.33.1
 */
@ConfigurationProperties("dind.kubernetes")
public record KubernetesVersionProperties(@DefaultValue List<Entry> versions) {

    /** One version and the node image that runs it. */
    public record Entry(String version, String image) {
    }

    public KubernetesVersionProperties {
        for (Entry entry : versions) {
            if (entry.version() == null || !entry.version().matches("v[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}")
                    || entry.image() == null || !entry.image().matches(ClusterSpec.IMAGE_PATTERN)) {
                throw new IllegalArgumentException("dind.kubernetes.versions: each entry needs a version such as "
                        + "v1.33.1 and an image reference; got " + entry);
            }
        }
    }
}
