package io.dindclusters.cluster;

import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 422: an Idempotency-Key already created a cluster from another request body. */
class IdempotencyKeyReuseException extends ErrorResponseException {

    static final Supplier<IdempotencyKeyReuseException> INSTANCE = IdempotencyKeyReuseException::new;

    private IdempotencyKeyReuseException() {
        super(HttpStatus.UNPROCESSABLE_CONTENT, problem(), null);
    }

    private static ProblemDetail problem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                "This Idempotency-Key was used with another request body; use a new key for a new request.");
        problem.setTitle("Idempotency-Key reused");
        return problem;
    }
}
