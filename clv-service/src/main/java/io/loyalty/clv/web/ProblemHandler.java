package io.loyalty.clv.web;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * problem+json for the data, scoring and retention endpoints (the campaign package has its own advice).
 * Framework errors (malformed JSON, wrong media type) go through the base class; ours carry field errors.
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
@RestControllerAdvice(basePackages = {"io.loyalty.clv.ingest", "io.loyalty.clv.scoring", "io.loyalty.clv.retention"})
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<ProblemDetail> api(ApiException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setTitle(e.title());
        problem.setType(type(e.status()));
        if (!e.errors().isEmpty()) {
            problem.setProperty("errors", e.errors());
        }
        return respond(problem);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (hasCause(ex, DataBufferLimitException.class)) {
            return Mono.just(ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(tooLargeProblem()));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                (ex.getReason() == null ? "Malformed request" : ex.getReason()) + readableCause(ex));
        problem.setTitle("Malformed request");
        problem.setType(type(HttpStatus.BAD_REQUEST));
        return Mono.just(ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem));
    }

    @ExceptionHandler(DataBufferLimitException.class)
    public ResponseEntity<ProblemDetail> tooLarge(DataBufferLimitException e) {
        return respond(tooLargeProblem());
    }

    /** Anything unexpected: a 500 problem without internals; the stack trace stays in the log. */
    @ExceptionHandler(RuntimeException.class)
    public ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        log.error("Unhandled error", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The request could not be processed");
        problem.setTitle("Internal error");
        problem.setType(type(HttpStatus.INTERNAL_SERVER_ERROR));
        return respond(problem);
    }

    private static ProblemDetail tooLargeProblem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                "The request body is larger than this service accepts");
        problem.setTitle("Request body too large");
        problem.setType(type(HttpStatus.CONTENT_TOO_LARGE));
        return problem;
    }

    private static String readableCause(Throwable ex) {
        Throwable cause = ex.getCause();
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof tools.jackson.core.JacksonException jackson) {
            String message = jackson.getOriginalMessage();
            return message == null ? "" : ": " + message.lines().findFirst().orElse("");
        }
        return "";
    }

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    public static URI type(HttpStatus status) {
        return URI.create("urn:loyalty:problem:" + switch (status) {
            case BAD_REQUEST -> "invalid-request";
            case NOT_FOUND -> "not-found";
            case CONFLICT -> "conflict";
            case CONTENT_TOO_LARGE -> "request-too-large";
            default -> "http-" + status.value();
        });
    }
}
