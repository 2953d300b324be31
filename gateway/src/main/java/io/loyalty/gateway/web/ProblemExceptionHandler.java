package io.loyalty.gateway.web;

import io.loyalty.gateway.resilience.PayloadTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Every error the gateway itself produces leaves as problem+json: controller problems, framework
 * status exceptions (404 no route, 405, 415, 504) and anything unexpected, which becomes a 500 without
 * a stack trace. Runs before Boot's default JSON error handler.
 */
@Component
@Order(-2)
class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        Throwable cause = PayloadTooLargeException.find(ex);
        if (cause != null) {
            return Problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", cause.getMessage());
        }
        if (ex instanceof Problems.ProblemException p) {
            return Problems.write(exchange, p.status(), p.type(), p.getMessage(), p.errors(), h -> { });
        }
        if (ex instanceof ServerWebInputException input) {
            String detail = input.getCause() instanceof DecodingException ? "The request body is not valid JSON"
                    : input.getReason() != null ? input.getReason() : "Bad request";
            return Problems.write(exchange, HttpStatus.BAD_REQUEST, "bad-request", detail);
        }
        if (ex instanceof ResponseStatusException rse) {
            HttpStatusCode code = rse.getStatusCode();
            HttpStatus status = HttpStatus.resolve(code.value());
            if (status == null) {
                status = HttpStatus.INTERNAL_SERVER_ERROR;
            }
            String detail = rse.getReason() != null ? rse.getReason() : status.getReasonPhrase();
            rse.getHeaders().forEach((name, values) -> exchange.getResponse().getHeaders().addAll(name, values));
            return Problems.write(exchange, status, slug(status), detail);
        }
        if (causedBy(ex, java.net.ConnectException.class) || causedBy(ex, java.io.IOException.class)) {
            // a route without a circuit breaker (the API docs) whose service is down
            return Problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable",
                    "The service behind this path is unavailable");
        }
        log.error("Unhandled error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        return Problems.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "The gateway failed to handle this request");
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static String slug(HttpStatus status) {
        return status.getReasonPhrase().toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }
}
