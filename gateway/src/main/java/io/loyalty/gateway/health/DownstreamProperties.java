package io.loyalty.gateway.health;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The services behind the gateway, by name: where they answer HTTP, and how long the gateway's own
 * health check waits for each one's readiness.
 */
@Validated
@ConfigurationProperties("loyalty.gateway")
public record DownstreamProperties(@NotEmpty Map<String, @Valid Service> services, @NotNull Duration healthTimeout) {

    public record Service(@NotNull URI uri) {
    }
}
