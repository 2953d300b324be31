package io.loyalty.gateway.observability;

import io.loyalty.gateway.auth.Principal;
import io.loyalty.gateway.web.FilterOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Every request gets an {@code X-Request-Id} (the caller's when it is sane, else a new UUID), sent on to
 * the service and back to the caller, and a W3C {@code traceparent}: the caller's trace continues with
 * the gateway as a new parent span, or a new trace starts. One access-log line per request, never with
 * credentials or query strings.
 */
@Component
class RequestIdFilter implements WebFilter, Ordered {

    static final String REQUEST_ID = "X-Request-Id";
    static final String TRACEPARENT = "traceparent";
    private static final Pattern SANE_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");
    private static final Pattern TRACEPARENT_FORMAT = Pattern.compile("^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");
    private static final Logger access = LoggerFactory.getLogger("io.loyalty.gateway.access");

    @Override
    public int getOrder() {
        return FilterOrder.REQUEST_ID;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long start = System.nanoTime();
        ServerHttpRequest request = exchange.getRequest();
        String incoming = request.getHeaders().getFirst(REQUEST_ID);
        String requestId = incoming != null && SANE_ID.matcher(incoming).matches() ? incoming : newRequestId();
        String traceparent = childTraceparent(request.getHeaders().getFirst(TRACEPARENT));
        String traceId = traceparent.substring(3, 35);
        ServerHttpRequest mutated = request.mutate().headers(h -> {
            h.set(REQUEST_ID, requestId);
            h.set(TRACEPARENT, traceparent);
        }).build();
        exchange.getResponse().getHeaders().set(REQUEST_ID, requestId);
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set(REQUEST_ID, requestId);
            return Mono.empty();
        });
        ServerWebExchange next = exchange.mutate().request(mutated).build();
        next.getAttributes().put(io.loyalty.gateway.web.Problems.ORIGINAL_PATH, request.getPath().value());
        return chain.filter(next).doFinally(signal -> {
            if (access.isInfoEnabled()) {
                Principal principal = Principal.of(next);
                var status = next.getResponse().getStatusCode();
                access.info("{} {} {} {}ms client={} requestId={} traceId={}{}", request.getMethod(),
                        request.getPath().value(), status == null ? "-" : status.value(),
                        (System.nanoTime() - start) / 1_000_000, principal == null ? "-" : principal.clientId(),
                        requestId, traceId, signal == reactor.core.publisher.SignalType.CANCEL ? " cancelled" : "");
            }
        });
    }

    /**
     * A random (version 4) UUID from the thread's own generator: a request id must be unique, not
     * unpredictable, and {@code UUID.randomUUID()} serialises every event-loop thread on one SecureRandom lock.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** Same trace id and flags as the caller's, a new span id for the gateway; a fresh trace otherwise. */
    static String childTraceparent(String incoming) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String spanId = hex(random.nextLong(), 16);
        if (incoming != null) {
            var matcher = TRACEPARENT_FORMAT.matcher(incoming.trim());
            if (matcher.matches() && !matcher.group(1).equals("0".repeat(32)) && !matcher.group(2).equals("0".repeat(16))) {
                return "00-" + matcher.group(1) + "-" + spanId + "-" + matcher.group(3);
            }
        }
        String traceId = hex(random.nextLong(), 16) + hex(random.nextLong(), 16);
        return "00-" + traceId + "-" + spanId + "-01";
    }

    private static String hex(long value, int digits) {
        String s = Long.toHexString(value == 0 ? 1 : value);
        return "0".repeat(digits - s.length()) + s;
    }
}
