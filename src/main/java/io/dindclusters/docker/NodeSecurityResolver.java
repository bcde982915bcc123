package io.dindclusters.docker;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a host's configured node security into the one to use; for auto, probes its engine once per process. */
public class NodeSecurityResolver {

    private static final Logger log = LoggerFactory.getLogger(NodeSecurityResolver.class);

    private final String host;
    private final DockerEngine engine;
    private final NodeSecurity configured;
    private volatile NodeSecurity probed;

    NodeSecurityResolver(String host, DockerEngine engine, NodeSecurity configured) {
        this.host = host;
        this.engine = engine;
        this.configured = configured;
    }

    /** The profile, and a sentence saying why, for the cluster's events. */
    public record Resolution(NodeSecurity security, String explanation) {
    }

    /** The profile nodes get, when known without a probe: configured, or probed already. */
    public java.util.Optional<NodeSecurity> known() {
        return java.util.Optional.ofNullable(configured != NodeSecurity.auto ? configured : probed);
    }

    /** @param image an image present on the engine, run for the probe; labels mark the probe container */
    public Resolution resolve(String image, Map<String, String> labels) {
        if (configured != NodeSecurity.auto) {
            return new Resolution(configured, "node security: " + configured + " (configured)");
        }
        NodeSecurity result = probed;
        if (result == null) {
            synchronized (this) {
                if (probed == null) {
                    probed = engine.allowsPrivileged(image, labels) ? NodeSecurity.privileged : NodeSecurity.capabilities;
                    log.info("node security auto on Docker host {}: {}", host, explain(probed));
                }
                result = probed;
            }
        }
        return new Resolution(result, "node security: " + explain(result));
    }

    private static String explain(NodeSecurity security) {
        return security == NodeSecurity.privileged
                ? "privileged (auto: this engine allows --privileged)"
                : "capabilities (auto: this engine refuses --privileged, so nodes get all capabilities but "
                        + "SYS_RESOURCE, unconfined seccomp and AppArmor, and all devices)";
    }
}
