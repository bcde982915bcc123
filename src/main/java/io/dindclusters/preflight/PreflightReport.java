package io.dindclusters.preflight;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** A Docker host's preflight checks, as last run. */
@Schema(description = "The preflight checks of a Docker host, as last run.")
public record PreflightReport(
        @Schema(example = "local") String host,
        @Schema(description = "When the checks ran.") Instant checkedAt,
        @Schema(description = "The worst status of its checks.", example = "warn") PreflightCheck.Status status,
        List<PreflightCheck> checks) {

    static PreflightReport of(String host, Instant at, List<PreflightCheck> checks) {
        return new PreflightReport(host, at, checks.stream().map(PreflightCheck::status)
                .max(Comparator.naturalOrder()).orElse(PreflightCheck.Status.ok), List.copyOf(checks));
    }
}
