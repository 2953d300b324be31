package io.loyalty.gateway.ratelimit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

final class TokenBucketMath {

    private TokenBucketMath() {
    }

    static long millisUntilNextUtcDay(long nowMillis) {
        LocalDate today = LocalDate.ofInstant(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC);
        return today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - nowMillis;
    }

    /** Whole seconds, rounded up, so that a client waiting that long is not rejected again. */
    static long ceilSeconds(long millis) {
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }
}
