package io.loyalty.gateway.auth;

import io.loyalty.gateway.client.ApiClient;
import io.loyalty.gateway.client.ClientRepository;
import io.loyalty.gateway.ratelimit.RateLimitProperties;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies API keys against the stored hashes. Verified keys are cached briefly (by hash, never by the
 * key itself) so that the database is not on every request's path.
 */
@Component
public class ApiKeyAuthenticator {

    private static final int MAX_CACHED = 50_000;

    private final ClientRepository clients;
    private final AuthProperties properties;
    private final RateLimitProperties rateLimits;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    // a misconfigured client retrying with a revoked key should not cost a query per attempt
    private final Map<String, Long> unknown = new ConcurrentHashMap<>();

    private record Cached(Principal principal, long expiresAtMillis) {
    }

    ApiKeyAuthenticator(ClientRepository clients, AuthProperties properties, RateLimitProperties rateLimits, Clock clock) {
        this.clients = clients;
        this.properties = properties;
        this.rateLimits = rateLimits;
        this.clock = clock;
    }

    public Mono<Principal> authenticate(String key) {
        byte[] presented = ApiKeys.hash(key);
        String cacheKey = HexFormat.of().formatHex(presented);
        long now = clock.millis();
        Cached cached = cache.get(cacheKey);
        if (cached != null && cached.expiresAtMillis() > now) {
            return Mono.just(cached.principal());
        }
        Long unknownUntil = unknown.get(cacheKey);
        if (unknownUntil != null && unknownUntil > now) {
            return Mono.error(unknownKey());
        }
        return clients.activeKeysByPrefix(ApiKeys.prefix(key))
                // constant-time per candidate: timing reveals nothing about how close a guess was
                .filter(candidate -> ApiKeys.matches(candidate.hash(), presented))
                .next()
                .map(candidate -> principal(candidate.client(), candidate.keyId()))
                .doOnNext(principal -> {
                    if (cache.size() >= MAX_CACHED) {
                        cache.clear();
                    }
                    cache.put(cacheKey, new Cached(principal, now + properties.keyCacheTtl().toMillis()));
                })
                .switchIfEmpty(Mono.defer(() -> {
                    if (unknown.size() >= MAX_CACHED) {
                        unknown.clear();
                    }
                    unknown.put(cacheKey, now + properties.unknownKeyCacheTtl().toMillis());
                    return Mono.error(unknownKey());
                }));
    }

    private static AuthenticationException unknownKey() {
        return new AuthenticationException("unknown-key", "The API key is unknown or has been revoked");
    }

    /** Forgets a revoked key on this replica at once. */
    public void evict(UUID keyId) {
        String id = keyId.toString();
        cache.values().removeIf(entry -> id.equals(entry.principal().keyId()));
    }

    private Principal principal(ApiClient client, UUID keyId) {
        return new Principal(client.id().toString(), client.name(), Set.copyOf(client.scopes()), "api-key",
                keyId.toString(), client.rateLimit() != null ? client.rateLimit() : rateLimits.defaultPolicy());
    }
}
