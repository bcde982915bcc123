package io.dindclusters.cluster;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A cluster as the API shows it. */
@Schema(description = "A cluster: its filled-in spec, where it is in its life cycle, and its nodes.")
public record Cluster(
        @Schema(description = "Identifier, a UUID.", example = "5b0c7f4e-8a43-4a0f-9d65-0f3b9e7f2c11") String id,
        @Schema(description = "Name, unique among live clusters.", example = "ci-1234") String name,
        @Schema(description = "The tenant it belongs to: the owner of the API token that created it.",
                example = "payments") String owner,
        @Schema(description = "The spec with every default filled in.") ClusterSpec spec,
        @Schema(description = "Life-cycle state.", example = "RUNNING") ClusterStatus status,
        @Schema(description = "Why the cluster is FAILED (the step, and the engine's own message), or other news about its state.",
                example = "step create-nodes failed: No such image: example/missing:1")
        String statusReason,
        @Schema(description = "How many times provisioning has started: 0 while the first attempt waits, more than 1 "
                + "once an attempt was lost (its replica died, was killed or was shut down mid-way) and the cluster "
                + "was provisioned again. See dind.provisioning.max-attempts.", example = "1") int provisioningAttempts,
        @Schema(description = "When the cluster was requested.", example = "2026-11-24T15:04:05.123456Z") Instant createdAt,
        @Schema(description = "When the cluster last changed.", example = "2026-11-24T15:04:12.654321Z") Instant updatedAt,
        @Schema(description = "When the cluster is deleted on its own (createdAt + spec.ttl, or as last extended).",
                example = "2026-11-24T23:04:05.123456Z") Instant expiresAt,
        @Schema(description = "The Docker host (dind.docker.hosts) the cluster's containers run on.", example = "local")
        String dockerHost,
        @Schema(description = "Set while the cluster's Docker host cannot be reached or is no longer configured: the "
                + "service still knows the cluster, but cannot reach its containers.",
                example = "Docker host b has not answered since 2026-11-24T15:10:00Z: the Docker engine cannot be reached (Connection refused)")
        String dockerHostProblem,
        @Schema(description = "Set while some of a RUNNING cluster's containers are not running (a Docker daemon "
                + "restart or a host reboot stops them), with their state, or once some restarted since the cluster "
                + "became RUNNING (which loses what provisioning set up inside them). Delete the cluster and create "
                + "another.",
                example = "1 of 3 containers not running: ci-1234-worker (exited); the cluster does not work until "
                        + "they run again: delete it and create another")
        String containersProblem,
        @Schema(description = "Node containers, once created.") List<Node> nodes,
        @Schema(description = "ipMode ipv6: the DNS64 server every node resolves through, once created.")
        SupportContainer dns64,
        @Schema(description = "ipMode ipv6: the NAT64 gateway every node routes the DNS64 prefix to, once created.")
        SupportContainer nat64,
        @Schema(description = "bootstrap kubeadm: the API server URL users reach (the kubeconfig's server), once "
                + "kubeadm init has run.", example = "https://127.0.0.1:40123") String apiServer,
        @Schema(description = "bootstrap kubeadm: the Kubernetes version of the node image.", example = "v1.33.1")
        String kubernetesVersion,
        @Schema(description = "What the names of the cluster's containers and its network begin with: the name it "
                + "was made with. The same as name for a cluster made on demand; for one served from a warm pool, the "
                + "name its pool gave it (name is then what the API knows it by; nodes[].name stay as they were).",
                example = "ci-1234") String nodeNamePrefix,
        @Schema(description = "The warm pool (GET /pools) that made this cluster ahead of demand; absent for a "
                + "cluster made on demand.", example = "ipv6-small") String pool,
        @Schema(description = "Whether a create was served with a ready cluster from a warm pool (then it was "
                + "RUNNING at once).", example = "false") boolean pooled,
        @Schema(description = "When a create took the cluster from its pool.", example = "2026-11-24T15:04:05.123456Z")
        Instant claimedAt,
        @Schema(description = "Where to find this cluster, its events and its kubeconfig.") Links links) {

    /** The same cluster, with what is known about its Docker host's trouble (null: none). */
    public Cluster withDockerHostProblem(String problem) {
        return new Cluster(id, name, owner, spec, status, statusReason, provisioningAttempts, createdAt, updatedAt,
                expiresAt, dockerHost,
                problem, containersProblem, nodes, dns64, nat64, apiServer, kubernetesVersion, nodeNamePrefix, pool,
                pooled, claimedAt, links);
    }

    @Schema(name = "ClusterLinks", description = "Relative links to the cluster's resources.")
    public record Links(
            @Schema(example = "/clusters/5b0c7f4e-8a43-4a0f-9d65-0f3b9e7f2c11") String self,
            @Schema(example = "/clusters/5b0c7f4e-8a43-4a0f-9d65-0f3b9e7f2c11/events") String events,
            @Schema(example = "/clusters/5b0c7f4e-8a43-4a0f-9d65-0f3b9e7f2c11/kubeconfig") String kubeconfig) {

        static Links of(String id) {
            String self = "/clusters/" + id;
            return new Links(self, self + "/events", self + "/kubeconfig");
        }
    }
}
