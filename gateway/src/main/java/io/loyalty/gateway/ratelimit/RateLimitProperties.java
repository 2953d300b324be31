package io.loyalty.gateway.ratelimit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Per-client rate limits.
 *
 * @param redisUrl      e.g. {@code redis://host:6379/0}; blank means Spring's {@code spring.data.redis.*}
 *                      when set, else in-memory buckets (one per replica)
 * @param redisTimeout  the longest a request waits for Redis before the in-memory bucket decides instead
 * @param keyPrefix     namespace of the gateway's Redis keys
 * @param usageRetentionDays how many UTC days of per-client usage counters are kept
 * @param adminRequestsPerSecond limit of the LOYALTY_ADMIN_API_KEY client (it loads the demo data)
 */
@Validated
@ConfigurationProperties("loyalty.gateway.rate-limit")
public record RateLimitProperties(boolean enabled, String redisUrl, @NotNull Duration redisTimeout,
                                  @NotNull Duration redisReconnectInterval, @NotBlank String keyPrefix,
                                  @Positive double defaultRequestsPerSecond, @Min(1) long defaultBurst,
                                  @Positive Long defaultDailyQuota, @Min(1) @Max(400) int usageRetentionDays,
                                  @Positive double adminRequestsPerSecond, @Min(1) long adminBurst) {

    public RateLimitPolicy adminPolicy() {
        return new RateLimitPolicy(adminRequestsPerSecond, adminBurst, null);
    }

    public RateLimitPolicy defaultPolicy() {
        return new RateLimitPolicy(defaultRequestsPerSecond, defaultBurst, defaultDailyQuota);
    }
}
