package io.loyalty.gateway.ratelimit;

import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Buckets in this JVM: used when no Redis is configured and as the fallback while Redis is failing
 * (then limits hold per replica rather than across replicas).
 */
public class InMemoryTokenBucketStore implements TokenBucketStore {

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Counters> usage = new ConcurrentHashMap<>();
    private final int retentionDays;

    private static final class Bucket {
        double tokens;
        long timestamp;
    }

    private record Counters(AtomicLong allowed, AtomicLong rejected) {
    }

    public InMemoryTokenBucketStore(int retentionDays) {
        this.retentionDays = retentionDays;
    }

    @Override
    public Mono<Decision> consume(String clientId, RateLimitPolicy policy, long nowMillis) {
        return Mono.fromSupplier(() -> decide(clientId, policy, nowMillis));
    }

    Decision decide(String clientId, RateLimitPolicy policy, long nowMillis) {
        LocalDate day = day(nowMillis);
        Counters counters = usage.computeIfAbsent(key(clientId, day), k -> {
            prune(day);
            return new Counters(new AtomicLong(), new AtomicLong());
        });
        Bucket bucket = buckets.computeIfAbsent(clientId, k -> {
            Bucket b = new Bucket();
            b.tokens = policy.burst();
            b.timestamp = nowMillis;
            return b;
        });
        double ratePerMilli = policy.requestsPerSecond() / 1000.0;
        synchronized (bucket) {
            if (nowMillis > bucket.timestamp) {
                bucket.tokens = Math.min(policy.burst(), bucket.tokens + (nowMillis - bucket.timestamp) * ratePerMilli);
                bucket.timestamp = nowMillis;
            }
            // a policy lowered since the bucket was filled takes effect at once
            bucket.tokens = Math.min(bucket.tokens, policy.burst());
            Decision.Outcome outcome;
            long retryAfter = 0;
            long used = counters.allowed().get();
            if (policy.dailyQuota() != null && used >= policy.dailyQuota()) {
                outcome = Decision.Outcome.QUOTA_EXCEEDED;
                retryAfter = TokenBucketMath.millisUntilNextUtcDay(nowMillis);
            } else if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                outcome = Decision.Outcome.ALLOWED;
            } else {
                outcome = Decision.Outcome.RATE_LIMITED;
                retryAfter = (long) Math.ceil((1 - bucket.tokens) / ratePerMilli);
            }
            if (outcome == Decision.Outcome.ALLOWED) {
                used = counters.allowed().incrementAndGet();
            } else {
                counters.rejected().incrementAndGet();
            }
            long reset = (long) Math.ceil((policy.burst() - bucket.tokens) / ratePerMilli);
            return new Decision(outcome, policy.burst(), (long) Math.floor(bucket.tokens), retryAfter, reset, used, "memory");
        }
    }

    @Override
    public Mono<List<DayUsage>> usage(String clientId, LocalDate from, LocalDate to) {
        return Mono.fromSupplier(() -> {
            List<DayUsage> days = new ArrayList<>();
            for (LocalDate d = to; !d.isBefore(from); d = d.minusDays(1)) {
                Counters c = usage.get(key(clientId, d));
                days.add(new DayUsage(d, c == null ? 0 : c.allowed().get(), c == null ? 0 : c.rejected().get()));
            }
            return days;
        });
    }

    private void prune(LocalDate today) {
        String oldest = today.minusDays(retentionDays).toString();
        usage.keySet().removeIf(k -> k.substring(k.lastIndexOf('|') + 1).compareTo(oldest) < 0);
    }

    private static String key(String clientId, LocalDate day) {
        return clientId + "|" + day;
    }

    static LocalDate day(long nowMillis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC);
    }
}
