package io.loyalty.launcher;

import io.loyalty.dbbootstrap.EmbeddedDatabaseServer;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The one embedded PostgreSQL server of a local run, with a database per service. It runs as its own
 * process so that any service can be stopped, killed or restarted alone without touching the data.
 * Stopped by SIGTERM or SIGINT (the embedded server's shutdown hook runs a fast shutdown).
 */
final class LocalDatabase {

    static final List<String> DATABASES = List.of("survey_service", "ticket_service", "clv_service", "gateway");

    private LocalDatabase() {
    }

    static void main(String[] args) throws InterruptedException {
        Path dataDir = Path.of(env("LOYALTY_DATA_DIR", "data")).resolve("postgres");
        int port = Integer.parseInt(env("LOYALTY_DB_PORT", "15432"));
        EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dataDir, port, true, true,
                EmbeddedDatabaseServer.parseSettings(env("LOYALTY_DB_SETTINGS", ""), "LOYALTY_DB_SETTINGS"));
        DATABASES.forEach(server::ensureDatabase);
        System.out.println("loyalty-db ready on 127.0.0.1:" + server.port() + " data " + server.dataDirectory());
        new CountDownLatch(1).await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
