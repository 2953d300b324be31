package io.loyalty.gateway.ratelimit;

import io.loyalty.gateway.support.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The Lua token bucket against a real Redis, with explicit times so the arithmetic is exact. */
class RedisTokenBucketStoreIT {

    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final String prefix = "loyalty:gateway:it:" + UUID.randomUUID() + ":";

    private RedisTokenBucketStore store(String url, Duration timeout) {
        RedisTokenBucketStore store = new RedisTokenBucketStore(url, timeout, Duration.ofMillis(200), prefix, 31);
        closeables.add(store);
        return store;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void bucketArithmeticMatchesHandComputedValues() {
        RedisTokenBucketStore redis = store(TestRedis.url(), Duration.ofSeconds(2));
        RateLimitPolicy policy = new RateLimitPolicy(2, 3, null); // 3 tokens, one back every 500 ms

        Decision d1 = redis.consume("c1", policy, T0).block();
        assertThat(d1.allowed()).isTrue();
        assertThat(d1.remaining()).isEqualTo(2);
        assertThat(d1.resetMillis()).isEqualTo(500);
        assertThat(d1.store()).isEqualTo("redis");
        redis.consume("c1", policy, T0).block();
        Decision d3 = redis.consume("c1", policy, T0).block();
        assertThat(d3.allowed()).isTrue();
        assertThat(d3.remaining()).isZero();
        assertThat(d3.resetMillis()).isEqualTo(1500);

        Decision rejected = redis.consume("c1", policy, T0 + 100).block();
        assertThat(rejected.outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
        // 0.2 tokens after 100 ms; 0.8 more take 400 ms (401 when the double sum lands a hair below 0.2)
        assertThat(rejected.retryAfterMillis()).isBetween(400L, 401L);
        assertThat(rejected.remaining()).isZero();

        Decision refilled = redis.consume("c1", policy, T0 + 600).block(); // 1.2 tokens
        assertThat(refilled.allowed()).isTrue();
        assertThat(refilled.remaining()).isZero();
        // ten seconds later the bucket is full again, never fuller than burst
        Decision full = redis.consume("c1", policy, T0 + 10_500).block();
        assertThat(full.remaining()).isEqualTo(2);
        // a replica whose clock is behind does not move time backwards or mint tokens
        Decision behind = redis.consume("c1", policy, T0 + 10_000).block();
        assertThat(behind.remaining()).isEqualTo(1);

        LocalDate day = LocalDate.of(2026, 3, 1);
        assertThat(redis.usage("c1", day.minusDays(1), day).block()).containsExactly(
                new DayUsage(day, 6, 1), new DayUsage(day.minusDays(1), 0, 0));
    }

    @Test
    void twoReplicasShareOneBucketPerClient() {
        RedisTokenBucketStore a = store(TestRedis.url(), Duration.ofSeconds(2));
        RedisTokenBucketStore b = store(TestRedis.url(), Duration.ofSeconds(2));
        RateLimitPolicy policy = new RateLimitPolicy(0.001, 4, null);
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            RedisTokenBucketStore replica = i % 2 == 0 ? a : b;
            if (replica.consume("shared", policy, T0 + i).block().allowed()) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(4);
        // another client has its own bucket
        assertThat(a.consume("someone-else", policy, T0).block().remaining()).isEqualTo(3);
    }

    @Test
    void dailyQuotaIsCountedPerUtcDay() {
        RedisTokenBucketStore redis = store(TestRedis.url(), Duration.ofSeconds(2));
        RateLimitPolicy policy = new RateLimitPolicy(1000, 1000, 2L);
        long lateEvening = Instant.parse("2026-03-01T23:59:59Z").toEpochMilli();
        assertThat(redis.consume("q", policy, lateEvening).block().allowed()).isTrue();
        assertThat(redis.consume("q", policy, lateEvening).block().usedToday()).isEqualTo(2);
        Decision over = redis.consume("q", policy, lateEvening).block();
        assertThat(over.outcome()).isEqualTo(Decision.Outcome.QUOTA_EXCEEDED);
        assertThat(over.retryAfterMillis()).isEqualTo(1000);
        assertThat(redis.consume("q", policy, lateEvening + 1000).block().allowed()).isTrue();
    }

    @Test
    void deadRedisFallsBackToTheInMemoryBucketAndCountsTheFailure() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RateLimiter limiter = limiter(store("redis://127.0.0.1:1", Duration.ofMillis(100)), meters);
        RateLimitPolicy policy = new RateLimitPolicy(0.001, 2, null);
        long start = System.nanoTime();
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            decisions.add(limiter.consume("c", policy).block(Duration.ofSeconds(5)));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(decisions).extracting(Decision::store).containsOnly("memory");
        assertThat(decisions).extracting(Decision::allowed).containsExactly(true, true, false);
        assertThat(meters.counter("loyalty.gateway.ratelimit.redis.failures").count()).isEqualTo(3);
    }

    @Test
    void slowRedisDoesNotStallRequests() {
        // accepts connections and never answers
        DisposableServer silent = TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> in.receive().then(reactor.core.publisher.Mono.never())).bindNow();
        closeables.add(silent::disposeNow);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RateLimiter limiter = limiter(store("redis://127.0.0.1:" + silent.port(), Duration.ofMillis(150)), meters);
        long start = System.nanoTime();
        Decision decision = limiter.consume("c", new RateLimitPolicy(1, 1, null)).block(Duration.ofSeconds(5));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.store()).isEqualTo("memory");
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(meters.counter("loyalty.gateway.ratelimit.redis.failures").count()).isEqualTo(1);
    }

    private static RateLimiter limiter(RedisTokenBucketStore redis, SimpleMeterRegistry meters) {
        RateLimitProperties properties = new RateLimitProperties(true, null, Duration.ofMillis(150),
                Duration.ofMillis(200), "p:", 10, 10, null, 31, 100, 100);
        return new RateLimiter(redis, new InMemoryTokenBucketStore(31), properties,
                Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC), meters);
    }
}
