package io.loyalty.clv.campaign;

import java.util.List;
import org.springframework.http.HttpStatus;

/** A 4xx answer with its problem+json fields; thrown by campaign and signal endpoints. */
public class ApiProblem extends RuntimeException {

    public record FieldError(String field, String message) {
    }

    private final HttpStatus status;
    private final String title;
    private final List<FieldError> errors;

    public ApiProblem(HttpStatus status, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ApiProblem invalid(String field, String message) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid request", field + ": " + message,
                List.of(new FieldError(field, message)));
    }

    public static ApiProblem invalid(List<FieldError> errors) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid request",
                errors.size() + " invalid field" + (errors.size() == 1 ? "" : "s") + ": "
                        + String.join(", ", errors.stream().map(FieldError::field).toList()), errors);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "Not found", detail, List.of());
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, "Conflict", detail, List.of());
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
