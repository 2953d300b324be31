package io.loyalty.dbbootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server (zonky's packaged binaries) whose data directory survives restarts.
 * Used when no database URL is configured: by a service started on its own, by the local launcher,
 * and by tests on machines without Docker.
 */
public final class EmbeddedDatabaseServer implements AutoCloseable {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String DURABLE_MAX_WAL_SIZE = "4GB";
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,62}");
    private static final Pattern SETTING_VALUE = Pattern.compile("[A-Za-z0-9_.:+-]{1,64}");
    private static final Duration STALE_SERVER_STOP_WAIT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabaseServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts the server on {@code dataDirectory}, creating it on first use.
     *
     * @param port the TCP port on 127.0.0.1, or 0 for a free one
     * @param stopOnJvmExit whether a JVM shutdown hook stops it; off when an application context
     *     owns it, since hooks run concurrently and would stop the database under a graceful shutdown
     * @param durable whether a commit is on disk before it is acknowledged ({@code fsync} and
     *     {@code synchronous_commit} on). The embedded driver turns both off by default, which is right for a
     *     scratch database a test throws away and wrong for the data a local run keeps across restarts
     */
    public static EmbeddedDatabaseServer start(Path dataDirectory, int port, boolean stopOnJvmExit, boolean durable) {
        return start(dataDirectory, port, stopOnJvmExit, durable, Map.of());
    }

    /**
     * As {@link #start(Path, int, boolean, boolean)}, with server settings on top of PostgreSQL's own defaults
     * (see {@link #parseSettings}). They are passed on the server's command line, so they hold over
     * {@code ALTER SYSTEM} and {@code postgresql.conf}.
     */
    public static EmbeddedDatabaseServer start(Path dataDirectory, int port, boolean stopOnJvmExit, boolean durable,
                                               Map<String, String> settings) {
        try {
            Path dir = dataDirectory.toAbsolutePath().normalize();
            Files.createDirectories(dir);
            stopOrphanedServer(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(stopOnJvmExit)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (durable) {
                // given after the driver's -F on the command line, so it wins
                builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
                // A checkpoint every 4 GB of WAL rather than every 1 GB: after each checkpoint the first change to a
                // page writes the whole page to WAL, and a purchase feed touches index pages all over. For 11.6M
                // purchases in time order: 4.2 GB of WAL instead of 11.5 GB, 80k purchases/s instead of 72k
                // (docs/benchmarks/clv-service.md). Costs up to 4 GB of disk under such a load; settings override it.
                builder.setServerConfig("max_wal_size", DURABLE_MAX_WAL_SIZE);
            }
            settings.forEach(builder::setServerConfig);
            if (port > 0) {
                builder.setPort(port);
            }
            return new EmbeddedDatabaseServer(builder.start(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /**
     * Server settings written as {@code name=value[,name=value...]}, e.g. {@code shared_buffers=1GB,max_wal_size=4GB}.
     * Names and values are restricted to what PostgreSQL's settings use, so nothing needs quoting on the command
     * line; PostgreSQL itself rejects an unknown name or a bad value when the server starts.
     *
     * @param source where the text came from, for the error message
     */
    public static Map<String, String> parseSettings(String text, String source) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return settings;
        }
        for (String pair : text.split(",", -1)) {
            String[] nameValue = pair.split("=", 2);
            String name = nameValue[0].trim();
            String value = nameValue.length == 2 ? nameValue[1].trim() : "";
            if (!SETTING_NAME.matcher(name).matches() || !SETTING_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException(source + ": '" + pair.trim() + "' is not a PostgreSQL setting "
                        + "written as name=value (e.g. shared_buffers=1GB); settings are separated by commas");
            }
            settings.put(name, value);
        }
        return settings;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates the database unless it exists; names are restricted so they need no quoting. */
    public void ensureDatabase(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Not a plain database name: " + database);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + database, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JVM killed with SIGKILL leaves its postmaster running on the data directory; stop it
     * (SIGTERM is PostgreSQL's smart shutdown, and its clients are gone) so this start can take over.
     */
    private static void stopOrphanedServer(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = process.get();
        postmaster.destroy();
        try {
            postmaster.onExit().get(STALE_SERVER_STOP_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            postmaster.destroyForcibly();
        }
    }
}
