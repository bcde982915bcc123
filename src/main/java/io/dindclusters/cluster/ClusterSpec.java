package io.dindclusters.cluster;

import io.dindclusters.network.IpMode;
import io.dindclusters.network.NetworkSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * What a user asks for. Every field is optional; {@link ClusterSpecDefaults} fills the gaps and the filled spec is
 * what the cluster echoes back.
 */
@ValidClusterSpec
@Schema(description = "What to create. Every field is optional; the defaults are applied and echoed back.")
public record ClusterSpec(
        @Schema(description = "Lowercase DNS label, at most 32 characters; generated when absent. Unique among live clusters.",
                example = "ci-1234")
        @Size(max = 32, message = "must be at most 32 characters")
        @Pattern(regexp = NAME_PATTERN, message = "must be a lowercase DNS label: a-z, 0-9 and '-', starting with a letter and ending with a letter or digit")
        String name,
        @Schema(description = "Address families of nodes, pods and services.", example = "ipv4", defaultValue = "ipv4")
        IpMode ipMode,
        @Schema(description = "Worker nodes beside the control plane; 0 leaves a single untainted control plane.",
                example = "2", defaultValue = "2", minimum = "0", maximum = "10")
        @Min(value = 0, message = "must be from 0 to 10") @Max(value = 10, message = "must be from 0 to 10")
        Integer workers,
        @Schema(description = "Image of the node containers; default from the service configuration. Must match one "
                + "of the images the service allows (dind.clusters.allowed-node-images), else 403.",
                example = "kindest/node:v1.33.1")
        @Size(max = 255, message = "must be at most 255 characters")
        @Pattern(regexp = IMAGE_PATTERN, message = "must be a Docker image reference such as kindest/node:v1.33.1")
        String nodeImage,
        @Schema(description = "kubeadm makes a Kubernetes cluster; none creates nodes and networking only.",
                example = "kubeadm", defaultValue = "kubeadm")
        Bootstrap bootstrap,
        @Valid NetworkSpec network,
        @Schema(description = "Free-form labels to find clusters by (GET /clusters?label=key=value). Keys and values "
                + "follow Kubernetes label syntax; at most 32.", example = "{\"team\": \"payments\", \"ci-job\": \"1234\"}")
        Map<String, String> labels,
        @Schema(description = "Time to live, an ISO-8601 duration (PT2H, P1D): the cluster is deleted on its own once "
                + "it has lived this long (see expiresAt; extend it with PATCH). Default and maximum from the service "
                + "configuration.", example = "PT2H")
        @Size(max = 40, message = "must be at most 40 characters")
        String ttl,
        @Schema(description = "Kubernetes version instead of a node image: 1.33 (its newest patch here) or v1.33.1, one "
                + "of GET /kubernetes-versions; resolved to that version's image, echoed in nodeImage. Not together "
                + "with nodeImage.", example = "1.33")
        @Size(max = 20, message = "must be at most 20 characters")
        @Pattern(regexp = "^v?[0-9]{1,3}\\.[0-9]{1,3}(\\.[0-9]{1,3})?$",
                message = "must be a Kubernetes version such as 1.33 or v1.33.1")
        String kubernetesVersion,
        @Schema(description = "Keep the containers of a cluster that FAILED, to look into, until it is deleted or its "
                + "ttl ends (it then holds its addresses and counts against its Docker host). Without it a failed "
                + "cluster's containers are removed at once, and what GET /clusters/{id}/logs needs of them is "
                + "captured first.", example = "false", defaultValue = "false")
        Boolean retainOnFailure,
        @Schema(description = "A warm pool (GET /pools) to take a ready cluster from: fields left out come from the "
                + "pool's spec, fields given must agree with it. Without it, a create whose filled-in spec matches a "
                + "pool's (ipMode, workers, nodeImage, bootstrap; no network) is served from that pool too. When the "
                + "pool has no ready cluster the cluster is made on demand as usual. Echoed back on a cluster served "
                + "from a pool. A pool that does not exist is 400.", example = "ipv6-small")
        @Size(max = PoolNames.MAX_LENGTH, message = "must be at most " + PoolNames.MAX_LENGTH + " characters")
        @Pattern(regexp = NAME_PATTERN, message = "must be a lowercase DNS label: a-z, 0-9 and '-', starting with a letter and ending with a letter or digit")
        String pool) {

    public static final String NAME_PATTERN = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

    /** [registry[:port]/]path[:tag][@sha256:digest], lower-case path components, as the Docker reference grammar. */
    public static final String IMAGE_PATTERN = "^([a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?(:[0-9]{1,5})?/)?"
            + "[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*"
            + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$";

    public ClusterSpec withNetwork(NetworkSpec network) {
        return new ClusterSpec(name, ipMode, workers, nodeImage, bootstrap, network, labels, ttl, kubernetesVersion,
                retainOnFailure, pool);
    }

    /** The same spec for a cluster that is to be known by another name, with other labels and ttl. */
    public ClusterSpec claimedAs(String name, Map<String, String> labels, String ttl, Boolean retainOnFailure,
                                 String pool) {
        return new ClusterSpec(name, ipMode, workers, nodeImage, bootstrap, network, labels, ttl, kubernetesVersion,
                retainOnFailure, pool);
    }

    public ClusterSpec withName(String name) {
        return new ClusterSpec(name, ipMode, workers, nodeImage, bootstrap, network, labels, ttl, kubernetesVersion,
                retainOnFailure, pool);
    }

    /** Whether a failed cluster keeps its containers (unset: no). */
    public boolean retainsOnFailure() {
        return Boolean.TRUE.equals(retainOnFailure);
    }

    public NetworkSpec networkOrEmpty() {
        return network == null ? NetworkSpec.EMPTY : network;
    }
}
