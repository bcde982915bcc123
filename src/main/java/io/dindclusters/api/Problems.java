package io.dindclusters.api;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** The shape of our 400 problems. */
final class Problems {

    static final String INVALID_TITLE = "Invalid request";

    private Problems() {
    }

    static ProblemDetail invalid(List<InvalidField> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, errors.size() == 1
                ? errors.get(0).field() + " " + errors.get(0).message()
                : errors.size() + " fields break the rules; see errors.");
        problem.setTitle(INVALID_TITLE);
        problem.setProperty("errors", errors);
        return problem;
    }
}
