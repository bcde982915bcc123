package io.dindclusters.logs;

import io.dindclusters.access.Caller;
import io.dindclusters.cluster.Cluster;
import io.dindclusters.cluster.ClusterService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** GET /clusters/{idOrName}/logs: the cluster's logs bundle, for a CI job to keep as a build artifact. */
@RestController
@Tag(name = "clusters")
class LogsController {

    static final String GZIP = "application/gzip";

    private final ClusterService clusters;
    private final LogsBundle bundle;

    LogsController(ClusterService clusters, LogsBundle bundle) {
        this.clusters = clusters;
        this.bundle = bundle;
    }

    @GetMapping(path = "/clusters/{idOrName}/logs", produces = {GZIP, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    @Operation(operationId = "getClusterLogs", summary = "Get the cluster's logs bundle",
            description = "A gzipped tar to unpack and read, as kind export logs gives: README.txt (what is in it and "
                    + "what could not be collected), cluster.json, events.jsonl, and per container "
                    + "containers/NAME/: inspect.json and log.txt, and for kubeadm nodes the kubelet and containerd "
                    + "journals, var/log/pods/, kind-version.txt and kubeadm.conf. Secrets are redacted. Of a FAILED "
                    + "cluster whose containers were removed, the container parts captured before they were. "
                    + "Try: curl -fo logs.tar.gz localhost:8080/clusters/NAME/logs")
    @ApiResponse(responseCode = "200", description = "The bundle, written as it is collected.",
            content = @Content(mediaType = GZIP, schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", description = "No cluster has that id or name.",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(ref = "#/components/schemas/Problem")))
    ResponseEntity<StreamingResponseBody> logs(
            @Parameter(description = "Cluster id or name.", example = "ci-1234") @PathVariable String idOrName,
            @Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Cluster cluster = clusters.get(idOrName, caller);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(GZIP))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(cluster.name() + "-logs.tar.gz").build().toString())
                .body(out -> bundle.write(cluster, out));
    }
}
