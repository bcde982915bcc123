package io.dindclusters.cluster;

import io.dindclusters.access.AuditLog;
import io.dindclusters.access.Caller;
import io.dindclusters.api.InvalidField;
import io.dindclusters.api.InvalidRequestException;
import io.dindclusters.events.ClusterEvent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

@RestController
@RequestMapping(path = "/clusters", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
@Tag(name = "clusters", description = "Create, list, watch and delete throwaway Kubernetes-in-Docker clusters")
class ClusterController {

    static final String APPLICATION_YAML = "application/yaml";
    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    /** The 503 of both event streams (the fleet's too). */
    static final String STREAMS_FULL = "This replica has dind.events.max-streams streams open; this one was not "
            + "opened. Retry-After says when to try again (streams end all the time); another replica may have room.";

    private final ClusterService service;
    private final ClusterProperties properties;
    private final ClusterWaiter waiter;

    private final AuditLog audit;

    ClusterController(ClusterService service, ClusterProperties properties, ClusterWaiter waiter,
                      AuditLog audit) {
        this.audit = audit;
        this.service = service;
        this.properties = properties;
        this.waiter = waiter;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createCluster", summary = "Create a cluster",
            description = "Validates and stores the spec, then provisions the cluster in the background. "
                    + "Watch it with GET /clusters/{id}/events. An empty body asks for all defaults; a body is otherwise a "
                    + "JSON object (null, arrays, strings and numbers get 400). Network "
                    + "fields left out get free blocks from the service's pools, echoed back in spec.network. A create "
                    + "that matches a warm pool (GET /pools), or names one in pool, is served with a ready cluster "
                    + "when the pool has one: RUNNING at once, pooled: true, under the requested name, labels and ttl "
                    + "(its containers keep the names they were made with: nodeNamePrefix).")
    @ApiResponse(responseCode = "202", description = "Accepted; the cluster is PENDING, or RUNNING when a warm pool "
            + "served it (pooled: true). Location names it.",
            content = @Content(schema = @Schema(implementation = Cluster.class)))
    @ApiResponse(responseCode = "400", description = "The spec breaks a rule; errors names each field. Nothing was stored or created.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ValidationProblem.class)))
    @ApiResponse(responseCode = "403", description = "The node image (named or the default) matches none of the "
            + "images this service allows (dind.clusters.allowed-node-images): node containers run privileged, so "
            + "the operator decides which images may run. errors names nodeImage. Nothing was stored or created.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ValidationProblem.class)))
    @ApiResponse(responseCode = "409", description = "A live cluster already has this name, or an explicit network "
            + "overlaps another cluster's (or an existing Docker network); the detail names it.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "An address pool has no free block for a network left out, or no "
            + "Docker host can take the cluster (each full or unreachable; dockerHosts says why for each). Retry-After.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "429", description = "A quota (dind.quotas) would be exceeded; the problem names it, "
            + "and Retry-After says when to try again.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used before with another body; or "
            + "bootstrap kubeadm where no Docker host allows the privileged node containers kind nodes need (errors "
            + "names bootstrap, dockerHosts says why for each): ask for bootstrap none; or every Docker host failed "
            + "a preflight check this cluster needs (IPv6 off, no /dev/net/tun, no disk: dockerHosts names each "
            + "host's failed check and its fix).",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    Object create(
            @Valid @RequestBody(required = false) ClusterSpec spec,
            @Parameter(description = "Makes retries safe (IETF httpapi Idempotency-Key): the same key with the same "
                    + "body returns the cluster the first request created (Idempotent-Replayed: true); with another "
                    + "body, 422. Up to 255 visible ASCII characters; kept for dind.clusters.idempotency-key-retention.",
                    example = "ci-run-8812-attempt")
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @Parameter(description = WAIT_DESCRIPTION, example = "600s")
            @RequestParam(name = "wait", required = false) String wait,
            @Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Duration waitFor = parseWait(wait);
        if (idempotencyKey != null && !IDEMPOTENCY_KEY_FORM.matcher(idempotencyKey).matches()) {
            throw new InvalidRequestException(IDEMPOTENCY_KEY, "must be 1 to 255 visible ASCII characters");
        }
        ClusterService.Created created = audit.around("create", caller, spec == null ? null : spec.name(),
                () -> service.create(spec == null ? ClusterSpecs.EMPTY : spec, idempotencyKey, caller),
                c -> new String[] {c.cluster().id(), c.replayed() ? "replayed" : "accepted"});
        Function<Cluster, ResponseEntity<Cluster>> response = cluster -> {
            var builder = ResponseEntity.accepted().location(URI.create(cluster.links().self()));
            if (created.replayed()) {
                builder.header("Idempotent-Replayed", "true");
            }
            return builder.body(cluster);
        };
        return respond(created.cluster(), waitFor, response);
    }

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final java.util.regex.Pattern SIMPLE_WAIT = java.util.regex.Pattern.compile("^(\\d{1,6})(s|m|h)?$");
    private static final java.util.regex.Pattern IDEMPOTENCY_KEY_FORM = java.util.regex.Pattern.compile("^[!-~]{1,255}$");
    private static final String WAIT_DESCRIPTION = "Answer only once the cluster is RUNNING, FAILED or DELETED, or "
            + "when this much time has passed (then with the cluster as it is): 600s, 10m, 1h or PT10M; at most "
            + "dind.clusters.max-wait. The status in the body says which. A replica that is shutting down answers "
            + "early, with the cluster as it is and Retry-After: ask again (through a Service, another replica answers).";

    /**
     * The answer now (a ResponseEntity, on the request's thread), or, with a wait and a cluster not yet settled, a
     * DeferredResult the waiter completes: only waits take the asynchronous path. Spring picks the handler by the
     * returned value's type.
     */
    private Object respond(Cluster cluster, Duration wait, Function<Cluster, ResponseEntity<Cluster>> response) {
        if (wait == null || cluster.status().isSettled()) {
            return response.apply(cluster);
        }
        return waiter.await(cluster.id(), wait, response);
    }

    /** 600s, 10m, 1h, plain seconds, or ISO-8601; from 1 s to dind.clusters.max-wait. */
    private Duration parseWait(String wait) {
        if (wait == null) {
            return null;
        }
        Duration parsed = null;
        var simple = SIMPLE_WAIT.matcher(wait);
        if (simple.matches()) {
            long n = Long.parseLong(simple.group(1));
            String unit = simple.group(2) == null ? "s" : simple.group(2);
            parsed = switch (unit) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } else {
            parsed = ClusterTtl.parse(wait).orElse(null);
        }
        if (parsed == null || parsed.compareTo(Duration.ofSeconds(1)) < 0 || parsed.compareTo(properties.maxWait()) > 0) {
            throw new InvalidRequestException("wait", "must be a duration from 1s to " + properties.maxWait()
                    + " (dind.clusters.max-wait), such as 600s, 10m or PT10M");
        }
        return parsed;
    }

    @GetMapping
    @Operation(operationId = "listClusters", summary = "List clusters, newest first",
            description = "Filters combine: any of the given statuses, all of the given labels. The response and the "
                    + "Link header name the next page while there is one.")
    @ApiResponse(responseCode = "200", description = "One page of clusters.")
    @ApiResponse(responseCode = "400", description = "A query parameter breaks a rule.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ValidationProblem.class)))
    ResponseEntity<ClusterPage> list(
            @Parameter(description = "Only clusters in one of these statuses (repeatable).", example = "RUNNING")
            @RequestParam(name = "status", required = false) List<String> status,
            @Parameter(description = "Only clusters with this label, as key=value (repeatable; all must match).",
                    example = "team=payments")
            @RequestParam(name = "label", required = false) List<String> label,
            @Parameter(description = "Page size, 1 to 100.", example = "20", schema = @Schema(type = "integer",
                    format = "int32", minimum = "1", maximum = "100", defaultValue = "20"))
            @RequestParam(name = "limit", defaultValue = "20") String limit,
            @Parameter(description = "Opaque cursor from the previous page's nextCursor.")
            @RequestParam(name = "cursor", required = false) String cursor,
            @Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        List<InvalidField> errors = new ArrayList<>();
        List<ClusterStatus> statuses = parseStatuses(status, errors);
        Map<String, String> labels = parseLabels(label, errors);
        int pageSize = parseLimit(limit, errors);
        PageCursor after = null;
        if (cursor != null) {
            after = PageCursor.decode(cursor).orElse(null);
            if (after == null) {
                errors.add(new InvalidField("cursor", "is not a cursor this service issued; use nextCursor of a page"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        ClusterPage page = service.list(statuses, labels, pageSize, after, caller);
        UriComponentsBuilder base = UriComponentsBuilder.fromPath("/clusters").queryParam("limit", pageSize);
        statuses.forEach(s -> base.queryParam("status", s.name()));
        labels.forEach((k, v) -> base.queryParam("label", k + "=" + v));
        String self = base.cloneBuilder().queryParamIfPresent("cursor", java.util.Optional.ofNullable(cursor))
                .encode().build().toUriString();
        String next = page.nextCursor() == null ? null
                : base.cloneBuilder().queryParam("cursor", page.nextCursor()).encode().build().toUriString();
        var response = ResponseEntity.ok();
        if (next != null) {
            response.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return response.body(new ClusterPage(page.items(), page.nextCursor(), new ClusterPage.Links(self, next)));
    }

    @GetMapping("/{idOrName}")
    @Operation(operationId = "getCluster", summary = "Get a cluster by id or name",
            description = "A name finds the live cluster of that name, else the most recent deleted one.")
    @ApiResponse(responseCode = "200", description = "The cluster.",
            content = @Content(schema = @Schema(implementation = Cluster.class)), headers = @Header(name = "Retry-After",
            description = "Set when a wait ended early because this replica is shutting down: ask again after this "
                    + "many seconds.", schema = @Schema(type = "integer")))
    @ApiResponse(responseCode = "404", description = "No cluster has that id or name.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    Object get(
            @Parameter(description = "Cluster id or name.", example = "ci-1234") @PathVariable String idOrName,
            @Parameter(description = WAIT_DESCRIPTION, example = "600s")
            @RequestParam(name = "wait", required = false) String wait,
            @Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Duration waitFor = parseWait(wait);
        return respond(service.get(idOrName, caller), waitFor, ResponseEntity::ok);
    }

    @PatchMapping(path = "/{idOrName}", consumes = {"application/merge-patch+json", MediaType.APPLICATION_JSON_VALUE})
    @Operation(operationId = "updateCluster", summary = "Extend a cluster's time to live",
            description = "Sets expiresAt to now plus the given ttl (at most dind.clusters.max-ttl). Only ttl can "
                    + "change; the cluster must not be DELETING or DELETED.")
    @ApiResponse(responseCode = "200", description = "The cluster with its new expiresAt.")
    @ApiResponse(responseCode = "400", description = "The ttl breaks a rule, or the body names another field.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ValidationProblem.class)))
    @ApiResponse(responseCode = "404", description = "No cluster has that id or name.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "The cluster is being deleted.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    Cluster update(@Parameter(description = "Cluster id or name.", example = "ci-1234") @PathVariable String idOrName,
                   @RequestBody ClusterUpdate update, @Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        if (update.ttl() == null) {
            throw new InvalidRequestException("ttl", "is required: the time to live from now, such as PT2H");
        }
        return audit.around("extend-ttl", caller, idOrName, () -> service.extend(idOrName, update.ttl(), caller),
                c -> new String[] {c.id(), "accepted"});
    }

    @DeleteMapping("/{idOrName}")
    @Operation(operationId = "deleteCluster", summary = "Delete a cluster",
            description = "Tears the cluster down in the background (it moves to DELETING, then DELETED). "
                    + "Idempotent: deleting a DELETING or DELETED cluster returns it unchanged.")
    @ApiResponse(responseCode = "202", description = "Accepted; the cluster as it is now.")
    @ApiResponse(responseCode = "404", description = "No cluster has that id or name.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    ResponseEntity<Cluster> delete(@Parameter(description = "Cluster id or name.", example = "ci-1234")
                                   @PathVariable String idOrName, @Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return ResponseEntity.accepted().body(audit.around("delete", caller, idOrName,
                () -> service.delete(idOrName, caller), c -> new String[] {c.id(), "accepted"}));
    }

    @GetMapping(path = "/{idOrName}/events", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, PROBLEM})
    @Operation(operationId = "streamClusterEvents", summary = "Watch a cluster's events (server-sent events)",
            description = "Replays the events after Last-Event-ID, then follows live until the cluster is RUNNING, "
                    + "FAILED or DELETED (or DELETED only, with until=deleted), then ends. "
                    + "Each event: id (increasing per cluster), event (status, step-started, step-finished, "
                    + "step-failed, log) and JSON data. Comments (': heartbeat') keep idle streams open. A replica "
                    + "that is shutting down, a client that falls dind.events.max-behind events behind and a stream "
                    + "open dind.events.max-stream-duration end with a retry field and a comment: reconnect with "
                    + "Last-Event-ID to resume without a gap (an EventSource does so by itself). "
                    + "Try: curl -N localhost:8080/clusters/NAME/events")
    @ApiResponse(responseCode = "200", description = "The event stream, as text: blocks of id:, event: and data: "
            + "lines, each data line one ClusterEvent in JSON (#/components/schemas/ClusterEvent). Read it as a "
            + "stream (an EventSource, or line by line), not as one document: generated clients hand it over "
            + "unparsed (format binary).",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string",
                    format = "binary"),
                    examples = @ExampleObject(value = "id: 3\nevent: step-finished\ndata: {\"id\":3,"
                            + "\"time\":\"2026-11-24T15:04:06.012345Z\",\"step\":\"create-network\","
                            + "\"durationMs\":131,\"message\":\"create-network finished in 131 ms\","
                            + "\"type\":\"step-finished\"}\n\n")))
    @ApiResponse(responseCode = "400", description = "Last-Event-ID is not a number, or until is not running, settled or deleted.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ValidationProblem.class)))
    @ApiResponse(responseCode = "404", description = "No cluster has that id or name.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = STREAMS_FULL,
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    void events(
            @Parameter(description = "Cluster id or name.", example = "ci-1234") @PathVariable String idOrName,
            @Parameter(description = "Send only events after this id, as a reconnecting EventSource does. Browsers "
                    + "that cannot set it may pass the same as the query parameter lastEventId.", example = "7",
                    schema = @Schema(type = "integer", format = "int64", minimum = "0"))
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
            // one documented way (the header): two parameters that differ only in case confuse generated clients
            @Parameter(hidden = true) @RequestParam(name = "lastEventId", required = false) String lastEventIdParam,
            @Parameter(description = "Where the stream ends: running (once the cluster is RUNNING, or FAILED or "
                    + "DELETED, so it never will be), settled (the default: once it is RUNNING, FAILED or DELETED; "
                    + "the same states today) or deleted (follows a running cluster through its deletion or expiry).",
                    schema = @Schema(type = "string", allowableValues = {"running", "settled", "deleted"},
                            defaultValue = "settled"))
            @RequestParam(name = "until", required = false) String until,
            @Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            HttpServletRequest request, HttpServletResponse response) {
        long after = LastEventId.parse(lastEventIdHeader, lastEventIdParam);
        io.dindclusters.events.StreamEnd end = until == null ? io.dindclusters.events.StreamEnd.SETTLED
                : io.dindclusters.events.StreamEnd.parse(until).orElseThrow(() ->
                        new InvalidRequestException("until", "must be running, settled or deleted"));
        service.events(idOrName, after, end, caller, request, response);
    }

    @GetMapping(path = "/{idOrName}/kubeconfig", produces = {APPLICATION_YAML, PROBLEM})
    @Operation(operationId = "getKubeconfig", summary = "Get the admin kubeconfig",
            description = "Available once kubeadm has bootstrapped the cluster; its server: is the address users reach.")
    @ApiResponse(responseCode = "200", description = "The kubeconfig, YAML text: generated clients hand it over "
            + "unparsed (format binary), ready to be written to a file for kubectl.",
            content = @Content(mediaType = APPLICATION_YAML, schema = @Schema(type = "string", format = "binary"),
                    examples = @ExampleObject(value = "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n"
                            + "    server: https://127.0.0.1:41234\n  name: ci-1234\n")))
    @ApiResponse(responseCode = "404", description = "No cluster has that id or name.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "The cluster has no kubeconfig (yet, or because bootstrap is none).",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
    ResponseEntity<String> kubeconfig(@Parameter(description = "Cluster id or name.", example = "ci-1234")
                                      @PathVariable String idOrName, @Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(APPLICATION_YAML))
                .body(service.kubeconfig(idOrName, caller));
    }

    private static List<ClusterStatus> parseStatuses(List<String> values, List<InvalidField> errors) {
        List<ClusterStatus> statuses = new ArrayList<>();
        for (String value : values == null ? List.<String>of() : values) {
            try {
                statuses.add(ClusterStatus.valueOf(value.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                errors.add(new InvalidField("status", "must be one of: PENDING, PROVISIONING, RUNNING, FAILED, DELETING, DELETED"));
                break;
            }
        }
        return statuses;
    }

    private static Map<String, String> parseLabels(List<String> values, List<InvalidField> errors) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String value : values == null ? List.<String>of() : values) {
            int eq = value.indexOf('=');
            if (eq <= 0) {
                errors.add(new InvalidField("label", "must be key=value, such as team=payments"));
                break;
            }
            labels.put(value.substring(0, eq), value.substring(eq + 1));
        }
        if (errors.isEmpty()) {
            ClusterSpecValidator.checkLabels(labels)
                    .forEach(v -> errors.add(new InvalidField("label", v.message())));
        }
        return labels;
    }

    private int parseLimit(String value, List<InvalidField> errors) {
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= properties.maxPageSize()) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new InvalidField("limit", "must be a whole number from 1 to " + properties.maxPageSize()));
        return 1;
    }

    /** Documentation only: the RFC 9457 problem body. */
    @Schema(name = "Problem", description = "RFC 9457 problem details.")
    record Problem(
            @Schema(example = "about:blank") String type,
            @Schema(example = "Cluster not found") String title,
            @Schema(example = "404") int status,
            @Schema(example = "No cluster has the id or name 'ci-1234'.") String detail,
            @Schema(example = "/clusters/ci-1234") String instance) {
    }

    /** Documentation only: a 400 problem with the fields that broke a rule. */
    @Schema(name = "ValidationProblem", description = "RFC 9457 problem details of a 400, naming each bad field.")
    record ValidationProblem(
            @Schema(example = "about:blank") String type,
            @Schema(example = "Invalid request") String title,
            @Schema(example = "400") int status,
            @Schema(example = "network.serviceCidr must have an IPv6 prefix length from /108 to /120") String detail,
            @Schema(example = "/clusters") String instance,
            List<InvalidField> errors) {
    }
}
