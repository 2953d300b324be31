package io.loyalty.gateway.client;

import io.loyalty.gateway.auth.AuthProperties;
import io.loyalty.gateway.auth.Scopes;
import io.loyalty.gateway.ratelimit.RateLimitProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import java.time.Duration;

/** {@code LOYALTY_ADMIN_API_KEY}: a client with every scope whose key is that value, created idempotently. */
@Component
class AdminKeyBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminKeyBootstrap.class);

    private final ClientRepository clients;
    private final AuthProperties properties;
    private final RateLimitProperties rateLimits;

    AdminKeyBootstrap(ClientRepository clients, AuthProperties properties, RateLimitProperties rateLimits) {
        this.clients = clients;
        this.properties = properties;
        this.rateLimits = rateLimits;
    }

    @Override
    public void run(ApplicationArguments args) {
        String key = properties.adminApiKey();
        if (!StringUtils.hasText(key)) {
            return;
        }
        if (key.trim().length() < 16) {
            throw new IllegalStateException("LOYALTY_ADMIN_API_KEY must be at least 16 characters");
        }
        ApiClient client = clients.ensureAdminKey(key.trim(), Scopes.ALL, rateLimits.adminPolicy()).block(Duration.ofSeconds(30));
        log.info("Admin API key configured for client {} ({})", client.name(), client.id());
    }
}
