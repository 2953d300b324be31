package io.loyalty.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * One breaker per route, named after the route. Its time limit is the route's response timeout plus a
 * margin, set explicitly: resilience4j's 1 s default would otherwise cut every slower request short.
 */
@Configuration(proxyBeanMethods = false)
class CircuitBreakerConfiguration {

    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> circuitBreakers(ResilienceProperties properties,
                                                                          GatewayProperties gateway) {
        return factory -> {
            factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
                    .timeLimiterConfig(timeLimiter(properties.defaultResponseTimeout(), properties))
                    .circuitBreakerConfig(breaker(properties.circuitBreaker(id))).build());
            for (RouteDefinition route : gateway.getRoutes()) {
                Duration timeout = responseTimeout(route, properties.defaultResponseTimeout());
                factory.configure(builder -> builder
                        .timeLimiterConfig(timeLimiter(timeout, properties))
                        .circuitBreakerConfig(breaker(properties.circuitBreaker(route.getId()))), route.getId());
            }
        };
    }

    static Duration responseTimeout(RouteDefinition route, Duration fallback) {
        Object value = route.getMetadata().get("response-timeout");
        if (value == null) {
            return fallback;
        }
        long millis = Long.parseLong(value.toString().trim());
        return millis < 0 ? fallback : Duration.ofMillis(millis);
    }

    private static TimeLimiterConfig timeLimiter(Duration routeTimeout, ResilienceProperties properties) {
        return TimeLimiterConfig.custom().timeoutDuration(routeTimeout.plus(properties.timeLimiterMargin()))
                .cancelRunningFuture(true).build();
    }

    private static CircuitBreakerConfig breaker(ResilienceProperties.CircuitBreaker breaker) {
        return CircuitBreakerConfig.custom()
                .failureRateThreshold(breaker.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.slidingWindowSize())
                .minimumNumberOfCalls(breaker.minimumNumberOfCalls())
                .waitDurationInOpenState(breaker.waitDurationInOpenState())
                .permittedNumberOfCallsInHalfOpenState(breaker.permittedCallsInHalfOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .ignoreExceptions(PayloadTooLargeException.class)
                .build();
    }
}
