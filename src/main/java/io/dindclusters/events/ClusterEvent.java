package io.dindclusters.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One entry of a cluster's event log; {@code id} increases per cluster and is the SSE event id. */
@Schema(description = "One event of a cluster, the data of a server-sent event.")
public record ClusterEvent(
        @Schema(description = "Increases per cluster; the SSE id, for Last-Event-ID.", example = "7") long id,
        @Schema(description = "When it happened.", example = "2026-11-24T15:04:06.012345Z") Instant time,
        @JsonIgnore EventType type,
        @Schema(description = "New status, on status events.", example = "PROVISIONING") String status,
        @Schema(description = "Provisioning or teardown step, on step and log events.", example = "create-nodes") String step,
        @Schema(description = "How long the step took, on step-finished and step-failed events.", example = "1042")
        Long durationMs,
        @Schema(description = "On status events: the provisioning attempt the cluster is in, 1 for the first; more "
                + "when an attempt was lost (its replica died or was shut down) and the cluster is provisioned again.",
                example = "1") Integer attempt,
        @Schema(description = "What happened, in words.", example = "create-nodes finished in 1042 ms") String message,
        @Schema(description = "On the fleet stream (GET /events): the cluster's id.",
                example = "5b0c7f4e-8a43-4a0f-9d65-0f3b9e7f2c11") String cluster,
        @Schema(description = "On the fleet stream (GET /events): the cluster's name.", example = "ci-1234")
        String clusterName) {

    /** An event of one cluster's own stream, which needs no cluster named on each event. */
    public ClusterEvent(long id, Instant time, EventType type, String status, String step, Long durationMs,
                        Integer attempt, String message) {
        this(id, time, type, status, step, durationMs, attempt, message, null, null);
    }

    @JsonProperty("type")
    @Schema(description = "status, step-started, step-finished, step-failed or log; also the SSE event name.",
            example = "step-finished")
    public String typeName() {
        return type.wireName();
    }
}
