package io.loyalty.dbbootstrap;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Gives a service one database setting instead of three. {@code loyalty.database.url} (env
 * {@code LOYALTY_DATABASE_URL}, a {@code jdbc:postgresql://} URL) feeds both R2DBC and Flyway, which
 * needs JDBC. Without it, and without an explicit {@code spring.r2dbc.url}, the service starts an
 * embedded PostgreSQL whose data lives under {@code $LOYALTY_DATA_DIR/postgres/<application>}.
 */
public class DatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "loyaltyDatabase";

    @Override
    public int getOrder() {
        // after application.yml and profiles are loaded
        return ConfigDataEnvironmentPostProcessor.ORDER + 10;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("spring.r2dbc.url")) {
            return;
        }
        String url = environment.getProperty("loyalty.database.url");
        String username = environment.getProperty("loyalty.database.username", "postgres");
        String password = environment.getProperty("loyalty.database.password", "");
        if (url == null || url.isBlank()) {
            if (!environment.getProperty("loyalty.database.embedded.enabled", Boolean.class, true)) {
                return;
            }
            url = startEmbedded(environment, application);
            username = "postgres";
            password = "";
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.r2dbc.url", toR2dbcUrl(url));
        properties.put("spring.r2dbc.username", username);
        properties.put("spring.r2dbc.password", password);
        properties.put("spring.flyway.url", url);
        properties.put("spring.flyway.user", username);
        properties.put("spring.flyway.password", password);
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
    }

    static String toR2dbcUrl(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException(
                    "loyalty.database.url must be a jdbc:postgresql:// URL, got " + jdbcUrl);
        }
        return "r2dbc:" + jdbcUrl.substring("jdbc:".length());
    }

    private String startEmbedded(ConfigurableEnvironment environment, SpringApplication application) {
        String applicationName = environment.getProperty("spring.application.name", "loyalty");
        String database = environment.getProperty("loyalty.database.name",
                applicationName.toLowerCase(Locale.ROOT).replace('-', '_'));
        Path dataDir = Path.of(environment.getProperty("loyalty.data-dir", "data"))
                .resolve("postgres").resolve(applicationName);
        int port = environment.getProperty("loyalty.database.embedded.port", Integer.class, 0);
        EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dataDir, port, false, true,
                EmbeddedDatabaseServer.parseSettings(environment.getProperty("loyalty.database.embedded.settings"),
                        "loyalty.database.embedded.settings"));
        server.ensureDatabase(database);
        // Registered first, so destroyed last: after graceful shutdown and the connection pool.
        application.addInitializers(context -> ((GenericApplicationContext) context)
                .registerBean("embeddedDatabaseServer", EmbeddedDatabaseServer.class, () -> server));
        application.addListeners((ApplicationFailedEvent event) -> server.close());
        return server.jdbcUrl(database);
    }
}
