package io.loyalty.gateway.web;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes RFC 9457 problem documents straight onto a response: the gateway's filters answer before any
 * controller runs, so they cannot rely on WebFlux's own ProblemDetail handling.
 */
public final class Problems {

    public static final String TYPE_BASE = "https://loyalty.io/problems/";
    /** The path the caller asked for, kept before forwards (the circuit-breaker fallback) change it. */
    public static final String ORIGINAL_PATH = Problems.class.getName() + ".originalPath";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    public record FieldError(String field, String message) {
    }

    public static Map<String, Object> body(HttpStatus status, String type, String detail, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", URI.create(TYPE_BASE + type).toString());
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        return body;
    }

    public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String type, String detail) {
        return write(exchange, status, type, detail, null, headers -> { });
    }

    public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String type, String detail,
                                   List<FieldError> errors, Consumer<HttpHeaders> headers) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        String original = exchange.getAttribute(ORIGINAL_PATH);
        Map<String, Object> body = body(status, type, detail,
                original != null ? original : exchange.getRequest().getPath().value());
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", errors);
        }
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.accept(response.getHeaders());
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.getHeaders().setContentLength(bytes.length);
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }

    /** A typed problem for controllers; rendered by {@link ProblemExceptionHandler}. */
    public static class ProblemException extends RuntimeException {
        private final HttpStatus status;
        private final String type;
        private final List<FieldError> errors;

        public ProblemException(HttpStatus status, String type, String detail) {
            this(status, type, detail, List.of());
        }

        public ProblemException(HttpStatus status, String type, String detail, List<FieldError> errors) {
            super(detail, null, false, false);
            this.status = status;
            this.type = type;
            this.errors = errors;
        }

        public HttpStatus status() {
            return status;
        }

        public String type() {
            return type;
        }

        public List<FieldError> errors() {
            return errors;
        }
    }
}
