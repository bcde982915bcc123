package io.dindclusters.cluster;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 404: no cluster has that id or name. */
public class ClusterNotFoundException extends ErrorResponseException {

    ClusterNotFoundException(String idOrName) {
        super(HttpStatus.NOT_FOUND, problem(idOrName), null);
    }

    private static ProblemDetail problem(String idOrName) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No cluster has the id or name '" + idOrName + "'.");
        problem.setTitle("Cluster not found");
        return problem;
    }
}
