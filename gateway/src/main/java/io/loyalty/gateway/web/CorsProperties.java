package io.loyalty.gateway.web;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/** CORS for browser callers; no origins means CORS is off (same-origin only). */
@Validated
@ConfigurationProperties("loyalty.gateway.cors")
public record CorsProperties(@NotNull List<String> allowedOrigins, @NotNull List<String> allowedMethods,
                             @NotNull List<String> allowedHeaders, @NotNull List<String> exposedHeaders,
                             boolean allowCredentials, @NotNull Duration maxAge) {
}
