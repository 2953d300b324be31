package io.loyalty.testsupport;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * On a test classpath, points every application context that has no database of its own at the
 * {@link TestDatabase}; db-bootstrap then wires R2DBC and Flyway from it.
 */
public class TestDatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    @Override
    public int getOrder() {
        // after config data, before db-bootstrap's DatabaseEnvironmentPostProcessor
        return ConfigDataEnvironmentPostProcessor.ORDER + 5;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("spring.r2dbc.url") || environment.containsProperty("loyalty.database.url")) {
            return;
        }
        TestDatabase db = TestDatabase.get();
        environment.getPropertySources().addFirst(new MapPropertySource("loyaltyTestDatabase", Map.of(
                "loyalty.database.url", db.jdbcUrl(),
                "loyalty.database.username", db.username(),
                "loyalty.database.password", db.password())));
    }
}
