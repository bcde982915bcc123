package io.dindclusters.api;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 400 for query parameters and headers that break a rule, with the same {@code errors} array as body fields. */
public class InvalidRequestException extends ErrorResponseException {

    public InvalidRequestException(List<InvalidField> errors) {
        super(HttpStatus.BAD_REQUEST, Problems.invalid(errors), null);
    }

    public InvalidRequestException(String field, String message) {
        this(List.of(new InvalidField(field, message)));
    }
}
