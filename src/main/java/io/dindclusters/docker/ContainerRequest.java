package io.dindclusters.docker;

import java.util.List;
import java.util.Map;

/**
 * A container to create and start on a network.
 *
 * @param security privileges of a node container; null for an unprivileged support container
 * @param command  replaces the image's command when not empty
 */
public record ContainerRequest(String name, String hostname, String image, String network,
                               Map<String, String> labels, NodeSecurity security, Map<String, String> sysctls,
                               List<String> command) {

    public ContainerRequest {
        labels = Map.copyOf(labels);
        sysctls = sysctls == null ? Map.of() : Map.copyOf(sysctls);
        command = command == null ? List.of() : List.copyOf(command);
    }
}
