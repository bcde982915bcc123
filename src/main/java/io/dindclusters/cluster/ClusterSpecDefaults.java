package io.dindclusters.cluster;

import io.dindclusters.api.InvalidRequestException;
import io.dindclusters.network.IpMode;
import io.dindclusters.network.NetworkSpec;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * Fills the fields a spec left out, so that the stored and echoed spec says exactly what was built; the network
 * blocks come afterwards from {@link SubnetAllocator}.
 */
@Component
public class ClusterSpecDefaults {

    static final int DEFAULT_WORKERS = 2;
    private static final String NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ClusterProperties properties;
    private final Dns64Properties dns64;
    private final KubernetesVersions versions;

    ClusterSpecDefaults(ClusterProperties properties, Dns64Properties dns64, KubernetesVersions versions) {
        this.properties = properties;
        this.dns64 = dns64;
        this.versions = versions;
    }

    public ClusterSpec apply(ClusterSpec spec) {
        Map<String, String> labels = spec.labels() == null ? Map.of() : spec.labels();
        IpMode ipMode = spec.ipMode() == null ? IpMode.ipv4 : spec.ipMode();
        NetworkSpec network = spec.networkOrEmpty();
        if (ipMode == IpMode.ipv6) {
            network = network.withDns64(
                    network.dns64Prefix() == null ? dns64.prefix() : network.dns64Prefix(),
                    network.remoteDns64V4Server() == null ? dns64.remoteServer() : network.remoteDns64V4Server(),
                    network.allowAaaaUse() == null ? dns64.allowAaaaUse() : network.allowAaaaUse());
        }
        String nodeImage = spec.nodeImage() == null ? properties.defaultNodeImage() : spec.nodeImage();
        String kubernetesVersion = null;
        if (spec.kubernetesVersion() != null) {
            if (spec.nodeImage() != null) {
                throw new InvalidRequestException("kubernetesVersion", "cannot be given with nodeImage: name a "
                        + "version or an image, not both");
            }
            var entry = versions.resolve(spec.kubernetesVersion());
            nodeImage = entry.image();
            kubernetesVersion = entry.version();
        }
        return new ClusterSpec(
                spec.name() == null ? generateName() : spec.name(),
                ipMode,
                spec.workers() == null ? DEFAULT_WORKERS : spec.workers(),
                nodeImage,
                spec.bootstrap() == null ? Bootstrap.kubeadm : spec.bootstrap(),
                network,
                new TreeMap<>(labels),
                (spec.ttl() == null ? properties.defaultTtl() : ClusterTtl.parse(spec.ttl()).orElseThrow()).toString(),
                kubernetesVersion,
                spec.retainsOnFailure(),
                spec.pool());
    }

    /** "cluster-" and six random letters and digits: about two billion names, checked for uniqueness on insert. */
    static String generateName() {
        return generateName("cluster");
    }

    /** {@code prefix}, "-" and six random letters and digits. */
    static String generateName(String prefix) {
        StringBuilder name = new StringBuilder(prefix).append('-');
        for (int i = 0; i < 6; i++) {
            name.append(NAME_ALPHABET.charAt(RANDOM.nextInt(NAME_ALPHABET.length())));
        }
        return name.toString();
    }
}
