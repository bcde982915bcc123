package io.dindclusters.cluster;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 429: a create would go over a quota; waiting helps, as clusters are deleted or expire. */
class QuotaExceededException extends ErrorResponseException {

    static final String RETRY_AFTER_SECONDS = "30";

    QuotaExceededException(String limit, String detail) {
        super(HttpStatus.TOO_MANY_REQUESTS, problem(limit, detail), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }

    private static ProblemDetail problem(String limit, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, detail);
        problem.setTitle("Quota exceeded");
        problem.setProperty("limit", limit);
        return problem;
    }
}
