package io.dindclusters.cluster;

import io.dindclusters.api.InvalidField;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * 422: every Docker host failed a preflight check that would surely break this cluster (IPv6 disabled for an IPv6
 * or dual-stack one, no /dev/net/tun for an IPv6-only one's NAT64, no disk). Waiting does not help until someone
 * fixes a host, so this is no 503; nothing was stored or created.
 */
class HostPreflightFailedException extends ErrorResponseException {

    HostPreflightFailedException(Map<String, String> whyNot) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, problem(whyNot), null);
    }

    private static ProblemDetail problem(Map<String, String> whyNot) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                "Every Docker host failed a preflight check this cluster needs; nothing was created. dockerHosts says "
                        + "which host failed which check, and what fixes it (GET /docker-hosts/{name}/preflight runs "
                        + "the checks again).");
        problem.setTitle("No Docker host passes the checks this cluster needs");
        if (whyNot.values().stream().noneMatch(why -> why.startsWith(DockerHostPlacement.PREFLIGHT_FAILED + "disk"))) {
            // IPv6 or tun: what the request asked for (its address mode) is what no host can give
            problem.setProperty("errors", List.of(new InvalidField("ipMode",
                    "no Docker host passes the preflight checks this address mode needs")));
        }
        problem.setProperty("dockerHosts", whyNot);
        return problem;
    }
}
