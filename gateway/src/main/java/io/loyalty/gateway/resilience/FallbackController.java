package io.loyalty.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.loyalty.gateway.web.Problems;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * Where every route's circuit breaker forwards when the service fails, hangs or its breaker is open.
 * Mapped for every method: a POST forwarded to a GET-only fallback would turn into a 405.
 */
@RestController
class FallbackController {

    private final ResilienceProperties properties;

    FallbackController(ResilienceProperties properties) {
        this.properties = properties;
    }

    @RequestMapping("/fallback/{service}")
    Mono<Void> fallback(@PathVariable String service, ServerWebExchange exchange) {
        Throwable error = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        PayloadTooLargeException tooLarge = PayloadTooLargeException.find(error);
        if (tooLarge != null) {
            return Problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", tooLarge.getMessage());
        }
        String detail;
        long retryAfter = 1;
        if (error instanceof CallNotPermittedException) {
            detail = "The " + service + " service is failing; its circuit breaker is open, requests are not sent";
            retryAfter = Math.max(1, properties.circuitBreaker(service).waitDurationInOpenState().toSeconds());
        } else if (isTimeout(error)) {
            detail = "The " + service + " service did not answer in time";
        } else if (has(error, ConnectException.class)) {
            detail = "The " + service + " service is unreachable";
        } else {
            detail = "The " + service + " service is unavailable";
        }
        String retry = Long.toString(retryAfter);
        return Problems.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", detail, null,
                h -> h.set("Retry-After", retry));
    }

    private static boolean isTimeout(Throwable error) {
        return has(error, TimeoutException.class)
                || error instanceof ResponseStatusException rse && rse.getStatusCode().value() == 504;
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
