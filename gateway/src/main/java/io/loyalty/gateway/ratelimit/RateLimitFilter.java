package io.loyalty.gateway.ratelimit;

import io.loyalty.gateway.auth.Principal;
import io.loyalty.gateway.web.FilterOrder;
import io.loyalty.gateway.web.Problems;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One token per request from the calling client's bucket (per client, whichever of its keys or tokens
 * it used). Every answer carries the IETF draft headers {@code RateLimit-Limit}, {@code -Remaining},
 * {@code -Reset} (seconds until the bucket is full) and {@code RateLimit-Policy}; a 429 adds
 * {@code Retry-After}.
 */
@Component
class RateLimitFilter implements WebFilter, Ordered {

    private final RateLimiter limiter;
    private final RateLimitProperties properties;

    RateLimitFilter(RateLimiter limiter, RateLimitProperties properties) {
        this.limiter = limiter;
        this.properties = properties;
    }

    @Override
    public int getOrder() {
        return FilterOrder.RATE_LIMIT;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Principal principal = Principal.of(exchange);
        if (principal == null || !properties.enabled()) {
            return chain.filter(exchange);
        }
        RateLimitPolicy policy = principal.rateLimit();
        return limiter.consume(principal.clientId(), policy).flatMap(decision -> {
            exchange.getAttributes().put(Decision.ATTRIBUTE, decision);
            HttpHeaders headers = exchange.getResponse().getHeaders();
            headers.set("RateLimit-Limit", Long.toString(decision.limit()));
            headers.set("RateLimit-Remaining", Long.toString(decision.remaining()));
            headers.set("RateLimit-Reset", Long.toString(TokenBucketMath.ceilSeconds(decision.resetMillis())));
            headers.set("RateLimit-Policy", policy(policy));
            if (decision.allowed()) {
                return chain.filter(exchange);
            }
            long retryAfter = Math.max(1, TokenBucketMath.ceilSeconds(decision.retryAfterMillis()));
            String detail = decision.outcome() == Decision.Outcome.QUOTA_EXCEEDED
                    ? "Daily quota of " + policy.dailyQuota() + " requests used up; it renews at 00:00 UTC"
                    : "Rate limit of " + policy.requestsPerSecond() + " requests/s (burst " + policy.burst()
                    + ") exceeded for this client; retry in " + retryAfter + " s";
            return Problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS,
                    decision.outcome() == Decision.Outcome.QUOTA_EXCEEDED ? "quota-exceeded" : "rate-limited",
                    detail, null, h -> h.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter)));
        });
    }

    static String policy(RateLimitPolicy policy) {
        long window = Math.max(1, (long) Math.ceil(policy.burst() / policy.requestsPerSecond()));
        String value = policy.burst() + ";w=" + window;
        if (policy.dailyQuota() != null) {
            value += ", " + policy.dailyQuota() + ";w=86400";
        }
        return value;
    }
}
