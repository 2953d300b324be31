package io.loyalty.gateway.ratelimit;

/**
 * A client's token bucket: {@code burst} tokens at most, refilled at {@code requestsPerSecond}; an
 * optional {@code dailyQuota} caps allowed requests per UTC day.
 */
public record RateLimitPolicy(double requestsPerSecond, long burst, Long dailyQuota) {

    public RateLimitPolicy {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requestsPerSecond must be > 0");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be >= 1");
        }
        if (dailyQuota != null && dailyQuota < 1) {
            throw new IllegalArgumentException("dailyQuota must be >= 1");
        }
    }
}
