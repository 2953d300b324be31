package io.loyalty.testsupport;

import io.loyalty.dbbootstrap.EmbeddedDatabaseServer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The real PostgreSQL a test JVM talks to, chosen once: {@code LOYALTY_TEST_DATABASE_URL} (env or system
 * property, a {@code jdbc:postgresql://} URL of a server we may create databases on), else Testcontainers
 * when Docker is available, else an embedded server in a temporary directory. Each JVM gets a database of
 * its own, so test modules never see each other's rows.
 */
public final class TestDatabase {

    private static volatile TestDatabase instance;

    private final String kind;
    private final String jdbcUrl;
    private final String username;
    private final String password;

    private TestDatabase(String kind, String jdbcUrl, String username, String password) {
        this.kind = kind;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    public static TestDatabase get() {
        TestDatabase db = instance;
        if (db == null) {
            synchronized (TestDatabase.class) {
                db = instance;
                if (db == null) {
                    db = start();
                    instance = db;
                }
            }
        }
        return db;
    }

    /** external, testcontainers or embedded */
    public String kind() {
        return kind;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    private static TestDatabase start() {
        String database = "loyalty_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String external = setting("LOYALTY_TEST_DATABASE_URL");
        if (external != null) {
            String user = orDefault(setting("LOYALTY_TEST_DATABASE_USERNAME"), "postgres");
            String password = orDefault(setting("LOYALTY_TEST_DATABASE_PASSWORD"), "");
            return withFreshDatabase("external", external, user, password, database);
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "test-postgres-stop"));
            return withFreshDatabase("testcontainers", container.getJdbcUrl(), container.getUsername(),
                    container.getPassword(), database);
        }
        try {
            Path dir = Files.createTempDirectory("loyalty-test-pg");
            EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dir, 0, false, false);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                deleteRecursively(dir);
            }, "test-postgres-stop"));
            server.ensureDatabase(database);
            return new TestDatabase("embedded", server.jdbcUrl(database), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestDatabase withFreshDatabase(String kind, String serverUrl, String user, String password,
                                                  String database) {
        try (Connection connection = DriverManager.getConnection(serverUrl, user, password)) {
            connection.createStatement().execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create a test database on " + serverUrl, e);
        }
        String url = serverUrl.replaceFirst("^(jdbc:postgresql://[^/]+)/[^?]*", "$1/" + database);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection connection = DriverManager.getConnection(serverUrl, user, password)) {
                connection.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (SQLException ignored) {
                // the server may be gone already; the database is disposable
            }
        }, "test-database-drop"));
        return new TestDatabase(kind, url, user, password);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static String setting(String name) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? null : value;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
