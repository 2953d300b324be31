package io.loyalty.gateway.resilience;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Circuit breakers and body limits. Route response timeouts stay where Gateway reads them (route
 * metadata {@code response-timeout}, or {@code httpclient.response-timeout}); each route's
 * resilience4j time limit is derived from that plus {@code timeLimiterMargin}, so the route timeout
 * always fires first and the 1 s resilience4j default never applies.
 *
 * @param circuitBreaker      thresholds for every route's breaker (the breaker is named after the route)
 * @param circuitBreakers     per-route replacements, by route id
 * @param maxBodySize         request body limit where no {@code bodyLimits} pattern matches
 * @param bodyLimits          path pattern to limit; first match wins
 */
@Validated
@ConfigurationProperties("loyalty.gateway.resilience")
public record ResilienceProperties(@NotNull Duration defaultResponseTimeout, @NotNull Duration timeLimiterMargin,
                                   @NotNull @Valid CircuitBreaker circuitBreaker,
                                   Map<String, @Valid CircuitBreaker> circuitBreakers,
                                   @NotNull DataSize maxBodySize, List<@Valid BodyLimit> bodyLimits) {

    public ResilienceProperties {
        circuitBreakers = circuitBreakers == null ? Map.of() : circuitBreakers;
        bodyLimits = bodyLimits == null ? List.of() : bodyLimits;
    }

    public CircuitBreaker circuitBreaker(String name) {
        return circuitBreakers.getOrDefault(name, circuitBreaker);
    }

    public record CircuitBreaker(@Min(1) @Max(100) float failureRateThreshold, @Min(1) int slidingWindowSize,
                                 @Min(1) int minimumNumberOfCalls, @NotNull Duration waitDurationInOpenState,
                                 @Min(1) int permittedCallsInHalfOpenState) {
    }

    public record BodyLimit(@NotEmpty String path, @NotNull DataSize maxSize) {
    }
}
