package io.loyalty.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides per client. With Redis, a failing or slow Redis (over {@code redisTimeout}) does not fail
 * requests open: the in-memory bucket of this replica decides instead, counted in
 * {@code loyalty.gateway.ratelimit.redis.failures} and logged at most every 10 s.
 */
public class RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

    private final TokenBucketStore primary;
    private final InMemoryTokenBucketStore fallback;
    private final RateLimitProperties properties;
    private final Clock clock;
    private final Counter redisFailures;
    private final MeterRegistry meters;
    private final AtomicLong lastWarning = new AtomicLong();

    public RateLimiter(TokenBucketStore primary, InMemoryTokenBucketStore fallback, RateLimitProperties properties,
                       Clock clock, MeterRegistry meters) {
        this.primary = primary;
        this.fallback = fallback;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
        this.redisFailures = meters.counter("loyalty.gateway.ratelimit.redis.failures");
    }

    public void close() throws Exception {
        if (primary instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    public Mono<Decision> consume(String clientId, RateLimitPolicy policy) {
        long now = clock.millis();
        if (primary == fallback) {
            return fallback.consume(clientId, policy, now).doOnNext(this::count);
        }
        return primary.consume(clientId, policy, now)
                .timeout(properties.redisTimeout())
                .onErrorResume(e -> {
                    failed("rate limit", e);
                    return fallback.consume(clientId, policy, now);
                })
                .doOnNext(this::count);
    }

    public Mono<List<DayUsage>> usage(String clientId, LocalDate from, LocalDate to) {
        if (primary == fallback) {
            return fallback.usage(clientId, from, to);
        }
        return primary.usage(clientId, from, to)
                .timeout(properties.redisTimeout().multipliedBy(10))
                .onErrorResume(e -> {
                    failed("usage", e);
                    return fallback.usage(clientId, from, to);
                });
    }

    private void count(Decision decision) {
        if (!decision.allowed()) {
            meters.counter("loyalty.gateway.ratelimit.rejected", "reason", decision.outcome().name().toLowerCase())
                    .increment();
        }
    }

    private void failed(String what, Throwable e) {
        redisFailures.increment();
        long now = clock.millis();
        long last = lastWarning.get();
        if (now - last > 10_000 && lastWarning.compareAndSet(last, now)) {
            log.warn("Redis unavailable for {} ({}); this replica's in-memory buckets decide until it is back",
                    what, e.toString());
        }
    }
}
