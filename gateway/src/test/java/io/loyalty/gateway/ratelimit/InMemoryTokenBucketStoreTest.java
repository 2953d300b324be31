package io.loyalty.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryTokenBucketStoreTest {

    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private final InMemoryTokenBucketStore store = new InMemoryTokenBucketStore(31);

    @Test
    void burstThenRefillAtTheConfiguredRate() {
        RateLimitPolicy policy = new RateLimitPolicy(4, 2, null); // one token per 250 ms
        Decision a = store.decide("c", policy, T0);
        Decision b = store.decide("c", policy, T0);
        Decision c = store.decide("c", policy, T0);
        assertThat(a.remaining()).isEqualTo(1);
        assertThat(a.resetMillis()).isEqualTo(250);
        assertThat(b.remaining()).isZero();
        assertThat(b.resetMillis()).isEqualTo(500);
        assertThat(c.outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
        assertThat(c.retryAfterMillis()).isEqualTo(250);
        assertThat(store.decide("c", policy, T0 + 125).retryAfterMillis()).isEqualTo(125);
        assertThat(store.decide("c", policy, T0 + 250).allowed()).isTrue();
        // never more than burst, however long the client was away
        Decision later = store.decide("c", policy, T0 + 3_600_000);
        assertThat(later.remaining()).isEqualTo(1);
    }

    @Test
    void clientsHaveSeparateBucketsAndAClockGoingBackMintsNothing() {
        RateLimitPolicy policy = new RateLimitPolicy(1, 1, null);
        assertThat(store.decide("a", policy, T0).allowed()).isTrue();
        assertThat(store.decide("b", policy, T0).allowed()).isTrue();
        assertThat(store.decide("a", policy, T0 - 5000).allowed()).isFalse();
    }

    @Test
    void lowerLimitTakesEffectAtOnce() {
        assertThat(store.decide("c", new RateLimitPolicy(1, 100, null), T0).remaining()).isEqualTo(99);
        assertThat(store.decide("c", new RateLimitPolicy(1, 3, null), T0).remaining()).isEqualTo(2);
    }

    @Test
    void quotaCountsAllowedRequestsPerUtcDayAndUsageListsDaysNewestFirst() {
        RateLimitPolicy policy = new RateLimitPolicy(1000, 1000, 2L);
        long beforeMidnight = Instant.parse("2026-03-01T23:59:59.500Z").toEpochMilli();
        assertThat(store.decide("q", policy, beforeMidnight).usedToday()).isEqualTo(1);
        assertThat(store.decide("q", policy, beforeMidnight).usedToday()).isEqualTo(2);
        Decision over = store.decide("q", policy, beforeMidnight);
        assertThat(over.outcome()).isEqualTo(Decision.Outcome.QUOTA_EXCEEDED);
        assertThat(over.retryAfterMillis()).isEqualTo(500);
        Decision nextDay = store.decide("q", policy, beforeMidnight + 500);
        assertThat(nextDay.allowed()).isTrue();
        assertThat(nextDay.usedToday()).isEqualTo(1);

        assertThat(store.usage("q", LocalDate.of(2026, 2, 28), LocalDate.of(2026, 3, 2)).block()).containsExactly(
                new DayUsage(LocalDate.of(2026, 3, 2), 1, 0),
                new DayUsage(LocalDate.of(2026, 3, 1), 2, 1),
                new DayUsage(LocalDate.of(2026, 2, 28), 0, 0));
    }

    @Test
    void headersRoundUpAndPolicyDescribesTheWindow() {
        assertThat(TokenBucketMath.ceilSeconds(0)).isZero();
        assertThat(TokenBucketMath.ceilSeconds(1)).isEqualTo(1);
        assertThat(TokenBucketMath.ceilSeconds(1000)).isEqualTo(1);
        assertThat(TokenBucketMath.ceilSeconds(1001)).isEqualTo(2);
        assertThat(RateLimitFilter.policy(new RateLimitPolicy(10, 20, null))).isEqualTo("20;w=2");
        assertThat(RateLimitFilter.policy(new RateLimitPolicy(0.5, 1, 1000L))).isEqualTo("1;w=2, 1000;w=86400");
    }
}
