package io.loyalty.clv.campaign;

import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/** problem+json for the campaign endpoints only (other packages keep their own handling). */
// ahead of Boot's global problem-details advice, which would drop the errors list
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(basePackageClasses = CampaignProblemHandler.class)
class CampaignProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(CampaignProblemHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> problem(ApiProblem e) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        body.setTitle(e.title());
        body.setType(URI.create("https://loyalty.io/problems/" + e.status().value()));
        if (!e.errors().isEmpty()) {
            body.setProperty("errors", e.errors());
        }
        return respond(e.status(), body);
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ProblemDetail> input(ServerWebInputException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamReadException) {
                return problem(ApiProblem.invalid("body", "is not valid JSON"));
            }
            if (t instanceof JacksonException json) {
                // name the field, keep parser internals (class names, source positions) out of the answer
                String field = path(json);
                return problem(ApiProblem.invalid(field.isEmpty() ? "body" : field,
                        field.isEmpty() ? "must be a JSON object" : "has the wrong type or an out-of-range value"));
            }
            if (t instanceof DecodingException) {
                return problem(ApiProblem.invalid("body", "is not valid JSON of the expected shape"));
            }
        }
        return problem(ApiProblem.invalid("request", e.getReason() == null ? "is malformed" : e.getReason()));
    }

    private static String path(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    @ExceptionHandler(UnsupportedMediaTypeStatusException.class)
    ResponseEntity<ProblemDetail> mediaType(UnsupportedMediaTypeStatusException e) {
        return problem(new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                "send application/json", List.of()));
    }

    private static ResponseEntity<ProblemDetail> respond(HttpStatus status, ProblemDetail body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
