package io.loyalty.gateway.ratelimit;

import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.util.List;

/** Where token buckets and usage counters live. Both implementations share the same arithmetic. */
public interface TokenBucketStore {

    /** Takes one token from the client's bucket at {@code nowMillis} (epoch ms) and counts the request. */
    Mono<Decision> consume(String clientId, RateLimitPolicy policy, long nowMillis);

    /** Usage per UTC day, {@code from} to {@code to} inclusive, most recent first; days without traffic count 0. */
    Mono<List<DayUsage>> usage(String clientId, LocalDate from, LocalDate to);
}
