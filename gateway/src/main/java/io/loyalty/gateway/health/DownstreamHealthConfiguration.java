package io.loyalty.gateway.health;

import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /actuator/health} of the gateway shows each downstream service's readiness as a component,
 * so one look tells whether the whole platform is up.
 */
@Configuration(proxyBeanMethods = false)
class DownstreamHealthConfiguration {

    @Bean
    CompositeReactiveHealthContributor downstream(DownstreamProperties properties, WebClient.Builder builder) {
        WebClient client = builder.clone().observationRegistry(io.micrometer.observation.ObservationRegistry.NOOP).build();
        Map<String, ReactiveHealthIndicator> indicators = new LinkedHashMap<>();
        properties.services().forEach((name, service) -> indicators.put(name, () -> client.get()
                .uri(service.uri().resolve("/actuator/health/readiness"))
                .exchangeToMono(response -> Mono.just(response.statusCode().is2xxSuccessful()
                        ? Health.up().withDetail("uri", service.uri().toString()).build()
                        : Health.down().withDetail("uri", service.uri().toString())
                                .withDetail("status", response.statusCode().value()).build()))
                .timeout(properties.healthTimeout())
                .onErrorResume(e -> Mono.just(Health.down().withDetail("uri", service.uri().toString())
                        .withDetail("error", e.getClass().getSimpleName()).build()))));
        return CompositeReactiveHealthContributor.fromMap(indicators);
    }
}
