package io.dindclusters.preflight;

import io.swagger.v3.oas.annotations.media.Schema;

/** One check of a Docker host: how it came out, what was seen, and the command that fixes it (when there is one). */
@Schema(description = "One preflight check of a Docker host.")
public record PreflightCheck(
        @Schema(example = "ipv6") String name,
        @Schema(description = "ok, warn (clusters work, with the caveat said) or fail (some clusters cannot work).",
                example = "fail") Status status,
        @Schema(description = "What was seen.", example = "net.ipv6.conf.all.disable_ipv6 = 1") String seen,
        @Schema(description = "What fixes it, on the host.", example = "sysctl -w net.ipv6.conf.all.disable_ipv6=0")
        String fix) {

    public enum Status { ok, warn, fail }

    static PreflightCheck ok(String name, String seen) {
        return new PreflightCheck(name, Status.ok, seen, null);
    }

    static PreflightCheck warn(String name, String seen, String fix) {
        return new PreflightCheck(name, Status.warn, seen, fix);
    }

    static PreflightCheck fail(String name, String seen, String fix) {
        return new PreflightCheck(name, Status.fail, seen, fix);
    }
}
