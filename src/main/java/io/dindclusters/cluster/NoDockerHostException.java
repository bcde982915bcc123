package io.dindclusters.cluster;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * 503: no Docker host can take the cluster now (full, or unreachable); waiting helps. An engine that went away may be
 * back in seconds, so then Retry-After is as short as for an engine error; room frees up more slowly.
 */
class NoDockerHostException extends ErrorResponseException {

    static final String RETRY_AFTER_UNREACHABLE_SECONDS = "10";

    NoDockerHostException(Map<String, String> whyNot, boolean anyUnreachable) {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(whyNot), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, anyUnreachable ? RETRY_AFTER_UNREACHABLE_SECONDS
                : QuotaExceededException.RETRY_AFTER_SECONDS);
    }

    private static ProblemDetail problem(Map<String, String> whyNot) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "No Docker host can take this cluster now; nothing was created. Try again once clusters are deleted "
                        + "or expire, or a host answers again.");
        problem.setTitle("No Docker host available");
        problem.setProperty("dockerHosts", whyNot);
        return problem;
    }
}
