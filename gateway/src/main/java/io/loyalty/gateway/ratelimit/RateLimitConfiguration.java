package io.loyalty.gateway.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import java.time.Clock;
import java.time.Duration;

@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

    @Bean
    InMemoryTokenBucketStore inMemoryTokenBucketStore(RateLimitProperties properties) {
        return new InMemoryTokenBucketStore(properties.usageRetentionDays());
    }

    @Bean(destroyMethod = "close")
    RateLimiter rateLimiter(RateLimitProperties properties, InMemoryTokenBucketStore memory, Clock clock,
                            MeterRegistry meters, Environment environment) {
        String url = redisUrl(properties, environment);
        if (url == null) {
            log.info("Rate limits: in-memory token buckets (no Redis configured; limits are per replica)");
            return new RateLimiter(memory, memory, properties, clock, meters);
        }
        RedisTokenBucketStore redis = new RedisTokenBucketStore(url, properties.redisTimeout(),
                properties.redisReconnectInterval(), properties.keyPrefix(), properties.usageRetentionDays());
        redis.connectEagerly(Duration.ofSeconds(2));
        log.info("Rate limits: token buckets in Redis at {}", redactedUrl(url));
        return new RateLimiter(redis, memory, properties, clock, meters);
    }

    static String redisUrl(RateLimitProperties properties, Environment environment) {
        if (StringUtils.hasText(properties.redisUrl())) {
            return properties.redisUrl().trim();
        }
        String springUrl = environment.getProperty("spring.data.redis.url");
        if (StringUtils.hasText(springUrl)) {
            return springUrl.trim();
        }
        String host = environment.getProperty("spring.data.redis.host");
        if (StringUtils.hasText(host)) {
            return "redis://" + host.trim() + ":" + environment.getProperty("spring.data.redis.port", "6379");
        }
        return null;
    }

    private static String redactedUrl(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
