package io.dindclusters.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** One entry of a 400 problem's {@code errors}: which field broke which rule. */
@Schema(description = "A field that broke a rule.")
public record InvalidField(
        @Schema(description = "Path of the field in the request body, or the query parameter or header name.",
                example = "network.serviceCidr") String field,
        @Schema(description = "The rule, in words.",
                example = "must have an IPv6 prefix length from /108 to /120 (the Kubernetes API server refuses IPv6 service ranges larger than /108)")
        String message) {
}
