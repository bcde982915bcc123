package io.dindclusters.cluster;

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
class ClusterSpecDefaults {

    static final int DEFAULT_WORKERS = 2;
    private static final String NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ClusterProperties properties;

    ClusterSpecDefaults(ClusterProperties properties) {
        this.properties = properties;
    }

    ClusterSpec apply(ClusterSpec spec) {
        Map<String, String> labels = spec.labels() == null ? Map.of() : spec.labels();
        return new ClusterSpec(
                spec.name() == null ? generateName() : spec.name(),
                spec.ipMode() == null ? IpMode.ipv4 : spec.ipMode(),
                spec.workers() == null ? DEFAULT_WORKERS : spec.workers(),
                spec.nodeImage() == null ? properties.defaultNodeImage() : spec.nodeImage(),
                spec.bootstrap() == null ? Bootstrap.kubeadm : spec.bootstrap(),
                spec.network() == null ? NetworkSpec.EMPTY : spec.network(),
                new TreeMap<>(labels));
    }

    /** "cluster-" and six random letters and digits: about two billion names, checked for uniqueness on insert. */
    static String generateName() {
        StringBuilder name = new StringBuilder("cluster-");
        for (int i = 0; i < 6; i++) {
            name.append(NAME_ALPHABET.charAt(RANDOM.nextInt(NAME_ALPHABET.length())));
        }
        return name.toString();
    }
}
