package io.dindclusters.cluster;

import io.dindclusters.access.Caller;
import io.dindclusters.events.EventStreamer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** GET /events: one stream of every cluster the caller may see, for dashboards. */
@RestController
@Tag(name = "clusters")
class FleetEventController {

    private final EventStreamer streamer;

    FleetEventController(EventStreamer streamer) {
        this.streamer = streamer;
    }

    @GetMapping(path = "/events", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    @Operation(operationId = "streamFleetEvents", summary = "Watch every cluster's events (server-sent events)",
            description = "The events of every cluster the caller may see (an admin: all; anyone else: their own), "
                    + "status changes and steps alike, each naming its cluster (cluster, clusterName), in one order "
                    + "across the fleet: the history after Last-Event-ID (ids here are fleet numbers, not a "
                    + "cluster's own), then live, until the client goes. Works on every replica; a replica that is "
                    + "shutting down, a client that falls dind.events.max-behind events behind, or a stream open "
                    + "dind.events.max-stream-duration, ends the stream with a retry field and a comment: reconnect "
                    + "with Last-Event-ID to resume without a gap. "
                    + "Try: curl -N localhost:8080/events")
    @ApiResponse(responseCode = "200", description = "The event stream, as text: blocks of id:, event: and data: "
            + "lines, each data line one ClusterEvent in JSON (#/components/schemas/ClusterEvent) with cluster and "
            + "clusterName set. Read it as a stream, not as one document: generated clients hand it over unparsed "
            + "(format binary).",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string",
                    format = "binary"),
                    examples = @ExampleObject(value = "id: 812\nevent: status\ndata: {\"id\":812,"
                            + "\"time\":\"2026-11-24T15:04:12.654321Z\",\"status\":\"RUNNING\",\"attempt\":1,"
                            + "\"message\":\"status RUNNING\",\"type\":\"status\","
                            + "\"cluster\":\"5b0c7f4e-8a43-4a0f-9d65-0f3b9e7f2c11\",\"clusterName\":\"ci-1234\"}\n\n")))
    @ApiResponse(responseCode = "400", description = "Last-Event-ID is not a number.",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ClusterController.ValidationProblem.class)))
    @ApiResponse(responseCode = "503", description = ClusterController.STREAMS_FULL,
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ClusterController.Problem.class)))
    void fleet(
            @Parameter(description = "Send only events after this fleet number, as a reconnecting EventSource "
                    + "does. Browsers that cannot set it may pass the same as the query parameter lastEventId.",
                    example = "812", schema = @Schema(type = "integer", format = "int64", minimum = "0"))
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
            @Parameter(hidden = true) @RequestParam(name = "lastEventId", required = false) String lastEventIdParam,
            @Parameter(hidden = true) @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) {
        streamer.streamFleet(LastEventId.parse(lastEventIdHeader, lastEventIdParam), caller::mayAccess, request,
                response);
    }
}
