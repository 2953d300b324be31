package io.loyalty.gateway.ratelimit;

import org.springframework.web.server.ServerWebExchange;

/**
 * The outcome of taking one token.
 *
 * @param remaining         whole tokens left after this request
 * @param retryAfterMillis  when rejected, how long until the request would be allowed
 * @param resetMillis       how long until the bucket is full again
 * @param usedToday         requests allowed so far this UTC day, this one included
 * @param store             "redis" or "memory": who decided
 */
public record Decision(Outcome outcome, long limit, long remaining, long retryAfterMillis, long resetMillis,
                       long usedToday, String store) {

    public static final String ATTRIBUTE = Decision.class.getName();

    public enum Outcome { ALLOWED, RATE_LIMITED, QUOTA_EXCEEDED }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }

    public static Decision of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }
}
