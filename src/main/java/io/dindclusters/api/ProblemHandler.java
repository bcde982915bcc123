package io.dindclusters.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import io.dindclusters.docker.DockerEngineException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every client error into an RFC 9457 problem; 400s carry an {@code errors} array naming each bad field.
 * Messages describe the rule and never echo the bad value, so nothing a client sent is reflected back.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<InvalidField> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> new InvalidField(e.getField(), e.getDefaultMessage()))
                .distinct()
                .sorted(Comparator.comparing(InvalidField::field))
                .toList();
        return handleExceptionInternal(ex, Problems.invalid(errors), headers, status, request);
    }

    /** The engine cannot be reached (or refuses): nothing was created; try again once it is back. */
    @ExceptionHandler(DockerEngineException.class)
    ResponseEntity<ProblemDetail> engineUnavailable(DockerEngineException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The Docker engine" + (e.host() == null ? "" : " of host " + e.host()) + " did not answer ("
                        + e.operation() + "); nothing was created. Try again shortly.");
        problem.setTitle("Docker engine unavailable");
        if (e.host() != null) {
            problem.setProperty("dockerHost", e.host());
        }
        problem.setInstance(java.net.URI.create(request.getRequestURI()));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "10")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        return handleExceptionInternal(ex, Problems.invalid(List.of(describe(ex))), headers, status, request);
    }

    private static InvalidField describe(HttpMessageNotReadableException ex) {
        if (!(ex.getCause() instanceof JacksonException jackson)) {
            return new InvalidField("body", "must be a JSON object");
        }
        String field = path(jackson);
        if (jackson instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : "; known fields here: "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return new InvalidField(field, "is not a known field" + known);
        }
        if (jackson instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return new InvalidField(field, "must be one of: " + Arrays.stream(format.getTargetType().getEnumConstants())
                    .map(String::valueOf).collect(Collectors.joining(", ")));
        }
        if (jackson instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return new InvalidField(field, "must be " + describe(mismatch.getTargetType()));
        }
        return new InvalidField(field, "is not valid JSON here");
    }

    private static String path(JacksonException e) {
        List<String> parts = new ArrayList<>();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                parts.add(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                parts.add("[" + ref.getIndex() + "]");
            }
        }
        return parts.isEmpty() ? "body" : String.join(".", parts).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "one of: " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "an object of string values";
        }
        return "a JSON object";
    }
}
