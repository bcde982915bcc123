package io.dindclusters.cluster;

import io.dindclusters.api.InvalidRequestException;
import io.dindclusters.kube.KubernetesVersion;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Resolves a spec's {@code kubernetesVersion} through the configured table: {@code v1.33.1} (or {@code 1.33.1}) to
 * that entry, {@code 1.33} to the newest patch of 1.33 in the table. The default is the entry whose image is the
 * default node image, if one is.
 */
@Component
class KubernetesVersions {

    /** One version a spec may ask for, as listed by GET /kubernetes-versions. */
    record Offered(String version, String image, boolean isDefault) {
    }

    private static final Comparator<KubernetesVersionProperties.Entry> BY_VERSION = Comparator
            .<KubernetesVersionProperties.Entry, KubernetesVersion>comparing(e -> KubernetesVersion.parse(e.version()),
                    Comparator.comparingInt(KubernetesVersion::major).thenComparingInt(KubernetesVersion::minor)
                            .thenComparingInt(KubernetesVersion::patch));

    private final List<KubernetesVersionProperties.Entry> entries;
    private final String defaultImage;

    KubernetesVersions(KubernetesVersionProperties properties, ClusterProperties clusters) {
        this.entries = properties.versions().stream().sorted(BY_VERSION.reversed()).toList();
        this.defaultImage = clusters.defaultNodeImage();
    }

    /** Newest first; the default is the newest entry with the default node image. */
    List<Offered> offered() {
        var defaultEntry = entries.stream().filter(e -> e.image().equals(defaultImage)).findFirst().orElse(null);
        return entries.stream().map(e -> new Offered(e.version(), e.image(), e == defaultEntry)).toList();
    }

    /** The entry {@code asked} means; a 400 naming kubernetesVersion and what is offered when there is none. */
    KubernetesVersionProperties.Entry resolve(String asked) {
        String wanted = asked.startsWith("v") ? asked.substring(1) : asked;
        boolean minorOnly = wanted.chars().filter(c -> c == '.').count() == 1;
        Optional<KubernetesVersionProperties.Entry> found = entries.stream().filter(e -> {
            String version = e.version().substring(1);
            return minorOnly ? version.startsWith(wanted + ".") : version.equals(wanted);
        }).findFirst();
        return found.orElseThrow(() -> new InvalidRequestException("kubernetesVersion", "is not offered here; "
                + (entries.isEmpty() ? "no versions are configured (dind.kubernetes.versions)" : "offered: "
                + String.join(", ", entries.stream().map(KubernetesVersionProperties.Entry::version).toList()))));
    }
}
