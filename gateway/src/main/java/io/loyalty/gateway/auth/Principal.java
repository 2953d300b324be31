package io.loyalty.gateway.auth;

import io.loyalty.gateway.ratelimit.RateLimitPolicy;
import org.springframework.web.server.ServerWebExchange;

import java.util.Set;

/**
 * Who is calling: the client (rate limits and usage are per client, not per key), its scopes and how
 * it authenticated. {@code keyId} is null for JWTs.
 */
public record Principal(String clientId, String clientName, Set<String> scopes, String authMethod, String keyId,
                        RateLimitPolicy rateLimit) {

    public static final String ATTRIBUTE = Principal.class.getName();

    public static Principal of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }
}
