package io.dindclusters.cluster;

import io.dindclusters.access.AuditLog;
import io.dindclusters.access.Caller;
import io.dindclusters.docker.DockerHost;
import io.dindclusters.docker.DockerHosts;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The Docker hosts clusters are placed on, as a dashboard or an operator wants to see them. */
@RestController
@RequestMapping(path = "/docker-hosts", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "docker-hosts", description = "The Docker engines clusters run on, their load and whether they answer")
class DockerHostController {

    @Schema(name = "DockerHost", description = "A Docker host: its limits, what runs on it, and whether it answered its last check.")
    record DockerHostView(
            @Schema(example = "local") String name,
            @Schema(example = "tcp://docker-2.example:2376") String url,
            @Schema(description = "Whether the engine answered its last check.") boolean reachable,
            @Schema(description = "Since when reachable has had its value (as far as this replica saw).")
            Instant since,
            @Schema(description = "Why the last check failed.") String problem,
            @Schema(description = "Live clusters placed on it (all tenants).") int clusters,
            @Schema(description = "Their nodes.") int nodes,
            @Schema(description = "0: no limit.") int maxClusters,
            @Schema(description = "0: no limit.") int maxNodes,
            @Schema(description = "The worst status of its latest preflight checks (ok, warn, fail); absent until "
                    + "checked. GET /docker-hosts/{name}/preflight has them all.", example = "warn")
            io.dindclusters.preflight.PreflightCheck.Status preflight,
            @Schema(description = "When those checks ran.") Instant preflightCheckedAt) {
    }

    private final DockerHosts hosts;
    private final ClusterRepository repository;

    private final AuditLog audit;
    private final io.dindclusters.preflight.HostPreflight preflight;

    DockerHostController(DockerHosts hosts, ClusterRepository repository, AuditLog audit,
                         io.dindclusters.preflight.HostPreflight preflight) {
        this.preflight = preflight;
        this.audit = audit;
        this.hosts = hosts;
        this.repository = repository;
    }

    @GetMapping
    @Operation(operationId = "listDockerHosts", summary = "List the Docker hosts",
            description = "Every configured host in placement order, with its live clusters and nodes. New clusters go "
                    + "to a reachable host with room, the one with the fewest live nodes first. Admins only.")
    @ApiResponse(responseCode = "200", description = "The hosts.")
    @ApiResponse(responseCode = "403", description = "The caller is not an admin: host URLs and every tenant's load "
            + "are the operator's to see.", content = @Content(mediaType = "application/problem+json",
            schema = @Schema(implementation = ClusterController.Problem.class)))
    List<DockerHostView> list(@Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        requireAdmin(caller, "list-docker-hosts");
        List<ClusterRow> live = repository.holdingAddresses();
        return hosts.all().stream().map(host -> view(host, live, preflight.latest(host.name()).orElse(null))).toList();
    }

    @GetMapping("/{name}/preflight")
    @Operation(operationId = "checkDockerHost", summary = "Run a Docker host's preflight checks",
            description = "Runs the checks now, without changing the host (a short-lived labelled container reads "
                    + "its settings, read-only, and is removed): privileged containers, cgroups, storage, IPv6 and "
                    + "its forwarding, ip6tables, /dev/net/tun, kernel modules, conntrack, swap, inotify limits, free "
                    + "space, versions. Each check is ok, warn or fail with what was seen and what fixes it. Admins only.")
    @ApiResponse(responseCode = "200", description = "The report.")
    @ApiResponse(responseCode = "403", description = "The caller is not an admin.", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ClusterController.Problem.class)))
    @ApiResponse(responseCode = "404", description = "No Docker host has that name.", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = ClusterController.Problem.class)))
    io.dindclusters.preflight.PreflightReport preflight(
            @io.swagger.v3.oas.annotations.Parameter(description = "The host's name.", example = "local")
            @org.springframework.web.bind.annotation.PathVariable String name,
            @Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        requireAdmin(caller, "check-docker-host");
        DockerHost host = hosts.find(name).orElseThrow(() -> {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No Docker host is named "
                    + name + "; GET /docker-hosts lists them.");
            problem.setTitle("Docker host not found");
            return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
        });
        return preflight.run(host);
    }

    private void requireAdmin(Caller caller, String action) {
        if (!caller.admin()) {
            audit.record(action, caller.owner(), null, "refused-403");
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "Only admins see the "
                    + "Docker hosts: their URLs and the load of every tenant's clusters.");
            problem.setTitle("Admins only");
            throw new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
        }
    }

    private static DockerHostView view(DockerHost host, List<ClusterRow> live,
                                       io.dindclusters.preflight.PreflightReport checked) {
        DockerHostLoad load = DockerHostLoad.of(host.name(), live);
        DockerHost.Reachability reachability = host.reachability();
        return new DockerHostView(host.name(), host.url(), reachability.reachable(), reachability.since(),
                reachability.problem(), load.clusters().size(), load.nodes(), host.maxClusters(), host.maxNodes(),
                checked == null ? null : checked.status(), checked == null ? null : checked.checkedAt());
    }
}
