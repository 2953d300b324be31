package io.loyalty.clv.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/** A 4xx answer with its problem+json fields, thrown by the ingestion, scoring and retention endpoints. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final List<FieldError> errors;

    public ApiException(HttpStatus status, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ApiException invalid(List<FieldError> errors) {
        String fields = String.join(", ", errors.stream().limit(10).map(FieldError::field).toList());
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request",
                errors.size() + " invalid field" + (errors.size() == 1 ? "" : "s") + ": " + fields
                        + (errors.size() > 10 ? ", ..." : ""), errors);
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", detail, List.of());
    }

    public static ApiException conflict(String detail, List<FieldError> errors) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict", detail, errors);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
