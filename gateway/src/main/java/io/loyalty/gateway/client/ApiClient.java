package io.loyalty.gateway.client;

import io.loyalty.gateway.ratelimit.RateLimitPolicy;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A partner app or team. {@code rateLimit} is null when the gateway's default applies. */
public record ApiClient(UUID id, String name, List<String> scopes, RateLimitPolicy rateLimit, OffsetDateTime createdAt) {
}
