package io.loyalty.gateway.ratelimit;

import io.loyalty.gateway.auth.Principal;
import io.loyalty.gateway.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/usage}: the calling client's own consumption, never anyone else's. */
@RestController
class UsageController {

    private final RateLimiter limiter;
    private final RateLimitProperties properties;
    private final Clock clock;

    UsageController(RateLimiter limiter, RateLimitProperties properties, Clock clock) {
        this.limiter = limiter;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/api/v1/usage")
    Mono<Map<String, Object>> usage(@RequestParam(name = "days", required = false) String daysParam,
                                    ServerWebExchange exchange) {
        Principal principal = Principal.of(exchange);
        if (principal == null) {
            return Mono.error(new Problems.ProblemException(HttpStatus.UNAUTHORIZED, "unauthorized", "Not authenticated"));
        }
        int days;
        try {
            days = daysParam == null ? 7 : Integer.parseInt(daysParam.trim());
        } catch (NumberFormatException e) {
            days = -1;
        }
        if (days < 1 || days > properties.usageRetentionDays()) {
            return Mono.error(new Problems.ProblemException(HttpStatus.BAD_REQUEST, "validation", "Invalid query",
                    List.of(new Problems.FieldError("days", "must be an integer from 1 to " + properties.usageRetentionDays()))));
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate from = today.minusDays(days - 1L);
        Decision current = Decision.of(exchange);
        return limiter.usage(principal.clientId(), from, today).map(list -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("clientId", principal.clientId());
            body.put("clientName", principal.clientName());
            body.put("authMethod", principal.authMethod());
            RateLimitPolicy policy = principal.rateLimit();
            Map<String, Object> limit = new LinkedHashMap<>();
            limit.put("requestsPerSecond", policy.requestsPerSecond());
            limit.put("burst", policy.burst());
            limit.put("dailyQuota", policy.dailyQuota());
            body.put("rateLimit", limit);
            if (current != null) {
                Map<String, Object> now = new LinkedHashMap<>();
                now.put("remaining", current.remaining());
                now.put("resetSeconds", TokenBucketMath.ceilSeconds(current.resetMillis()));
                now.put("allowedToday", current.usedToday());
                now.put("quotaRemainingToday", policy.dailyQuota() == null ? null
                        : Math.max(0, policy.dailyQuota() - current.usedToday()));
                now.put("store", current.store());
                body.put("current", now);
            }
            body.put("days", list);
            body.put("totals", Map.of(
                    "allowed", list.stream().mapToLong(DayUsage::allowed).sum(),
                    "rejected", list.stream().mapToLong(DayUsage::rejected).sum()));
            return body;
        });
    }
}
