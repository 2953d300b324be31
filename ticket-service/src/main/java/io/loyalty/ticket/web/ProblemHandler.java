package io.loyalty.ticket.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import tools.jackson.core.JacksonException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns every failure into {@code application/problem+json}: our own problems as they are, malformed
 * input as 400 with the offending field where Jackson can name it, anything unexpected as a 500 without
 * internals.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Map<String, Object>> api(ApiProblem problem, ServerWebExchange exchange) {
        return render(problem.status(), problem.type(), problem.title(), problem.getMessage(), problem.errors(), exchange);
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<Map<String, Object>> input(ServerWebInputException e, ServerWebExchange exchange) {
        if (find(e, DataBufferLimitException.class) != null) {
            return render(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
                    "The request body exceeds the size this endpoint accepts", List.of(), exchange);
        }
        JacksonException json = find(e, JacksonException.class);
        if (json != null) {
            String field = path(json);
            String message = json.getOriginalMessage();
            if (message != null && message.length() > 200) {
                message = message.substring(0, 200) + "...";
            }
            List<FieldError> errors = field.isEmpty() ? List.of() : List.of(new FieldError(field, "has the wrong type or format"));
            return render(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
                    "The request body is not valid JSON for this endpoint: " + message, errors, exchange);
        }
        String detail = e.getReason() != null ? e.getReason() : "The request could not be read";
        return render(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", detail, List.of(), exchange);
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<Map<String, Object>> status(ResponseStatusException e, ServerWebExchange exchange) {
        HttpStatusCode code = e.getStatusCode();
        String slug;
        if (e instanceof MethodNotAllowedException) {
            slug = "method-not-allowed";
        } else if (e instanceof UnsupportedMediaTypeStatusException) {
            slug = "unsupported-media-type";
        } else if (e instanceof NotAcceptableStatusException) {
            slug = "not-acceptable";
        } else {
            slug = code.value() == 404 ? "not-found" : "error";
        }
        HttpStatus status = HttpStatus.resolve(code.value());
        String title = status != null ? status.getReasonPhrase() : "Error";
        return render(code, slug, title, e.getReason() != null ? e.getReason() : title, List.of(), exchange);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e, ServerWebExchange exchange) {
        log.error("Unexpected failure on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), e);
        return render(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "The request failed unexpectedly; it has been logged", List.of(), exchange);
    }

    static ResponseEntity<Map<String, Object>> render(HttpStatusCode status, String slug, String title, String detail,
                                                      List<FieldError> errors, ServerWebExchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", Problems.type(slug));
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", exchange.getRequest().getPath().value());
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
