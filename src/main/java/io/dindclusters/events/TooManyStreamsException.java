package io.dindclusters.events;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * 503: this replica already has dind.events.max-streams streams open, and this one was not opened. Refused at once,
 * because waiting for a free slot would hold one of the few request threads, and enough waiters would stop every other
 * request to the replica. Streams end and free slots all the time, so Retry-After is short.
 */
public class TooManyStreamsException extends ErrorResponseException {

    static final String RETRY_AFTER_SECONDS = "5";

    TooManyStreamsException(int maxStreams) {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(maxStreams), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }

    private static ProblemDetail problem(int maxStreams) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "This replica already has " + maxStreams + " event streams open, the most dind.events.max-streams "
                        + "allows; this one was not opened. Try again shortly: streams end all the time.");
        problem.setTitle("Too many event streams");
        problem.setProperty("maxStreams", maxStreams);
        return problem;
    }
}
