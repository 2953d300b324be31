package io.loyalty.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The whole platform started the way a user starts it, {@code ./loyalty up}, on free ports and a
 * temporary data directory, shared by every suite in this JVM. Parts of it can be killed, frozen and
 * restarted, which is what the fault suites do.
 */
final class Platform implements AutoCloseable {

    static final List<String> MODULES = List.of("survey-service", "ticket-service", "clv-service", "gateway");
    static final List<String> DATABASES = List.of("survey_service", "ticket_service", "clv_service", "gateway");
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(4);

    private static Platform shared;

    final Path root;
    final Path dataDir;
    final String adminKey = "lk_e2e_" + UUID.randomUUID().toString().replace("-", "");
    final Map<String, String> env = new HashMap<>();
    final int gatewayPort;
    final int dbPort;
    final Api api;
    private final List<Process> launched = new ArrayList<>();
    private Process database;

    static synchronized Platform shared() {
        if (shared == null) {
            shared = new Platform();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "platform-stop"));
        }
        return shared;
    }

    private Platform() {
        root = Path.of(System.getenv().getOrDefault("LOYALTY_REPO_ROOT", "..")).toAbsolutePath().normalize();
        try {
            dataDir = Files.createTempDirectory("loyalty-e2e");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] ports = freePorts(9);
        gatewayPort = ports[0];
        dbPort = ports[8];
        env.put("LOYALTY_DATA_DIR", dataDir.toString());
        env.put("LOYALTY_ADMIN_API_KEY", adminKey);
        env.put("LOYALTY_DB_PORT", String.valueOf(dbPort));
        env.put("GATEWAY_HTTP_PORT", String.valueOf(ports[0]));
        env.put("SURVEY_HTTP_PORT", String.valueOf(ports[1]));
        env.put("TICKET_HTTP_PORT", String.valueOf(ports[2]));
        env.put("CLV_HTTP_PORT", String.valueOf(ports[3]));
        env.put("SURVEY_GRPC_PORT", String.valueOf(ports[4]));
        env.put("TICKET_GRPC_PORT", String.valueOf(ports[5]));
        env.put("CLV_GRPC_PORT", String.valueOf(ports[6]));
        env.put("LOYALTY_UP_TIMEOUT", "200");
        launched.add(up("platform", List.of()));
        api = new Api("http://127.0.0.1:" + gatewayPort, adminKey);
    }

    /** Runs {@code ./loyalty up [modules]} and waits until it reports the platform up. */
    private Process up(String name, List<String> modules) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("loyalty").toString(), "up"));
        command.addAll(modules);
        Path log = dataDir.resolve("up-" + name + "-" + launched.size() + ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            Instant deadline = Instant.now().plus(UP_TIMEOUT);
            while (Instant.now().isBefore(deadline)) {
                String output = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
                if (output.contains("Loyalty platform is up")) {
                    return process;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("./loyalty up " + modules + " exited:\n" + output + logs());
                }
                Thread.sleep(500);
            }
            process.destroy();
            throw new IllegalStateException("./loyalty up " + modules + " not up in " + UP_TIMEOUT + ":\n"
                    + Files.readString(log) + logs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    long pid(String module) {
        try {
            return Long.parseLong(Files.readString(dataDir.resolve("run").resolve(module + ".pid")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no graceful drain. */
    void kill(String module) throws InterruptedException {
        ProcessHandle process = ProcessHandle.of(pid(module)).orElseThrow();
        process.destroyForcibly();
        process.onExit().join();
    }

    /** SIGSTOP / SIGCONT: the process keeps its sockets open but answers nothing, like a hung JVM. */
    void freeze(String module) throws IOException, InterruptedException {
        signal("STOP", pid(module));
    }

    void thaw(String module) throws IOException, InterruptedException {
        signal("CONT", pid(module));
    }

    /** Starts a module again (after a kill) through {@code ./loyalty up <module>}. */
    void start(String module) {
        launched.add(up(module, List.of(module)));
    }

    /** Stops the database server (fast shutdown), then starts it again on the same files and port. */
    void restartDatabase(Duration down) throws IOException, InterruptedException {
        long pid = database == null ? pid("loyalty-db") : database.pid();
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroy();
        process.onExit().join();
        Thread.sleep(down.toMillis());
        Path log = dataDir.resolve("db-restart.log");
        ProcessBuilder builder = new ProcessBuilder(javaBin(), "-Xmx128m", "-jar", jar("launcher").toString(), "db")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        database = builder.start();
        Instant deadline = Instant.now().plusSeconds(60);
        while (!Files.readString(log).contains("loyalty-db ready")) {
            if (Instant.now().isAfter(deadline) || !database.isAlive()) {
                throw new IllegalStateException("database did not come back:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + dbPort + "/" + database, "postgres", "");
    }

    long count(String database, String sql) throws SQLException {
        try (Connection c = connect(database); ResultSet rows = c.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Row counts of every table of every service, to prove a request changed nothing. */
    /** Every table of every service, as row count and an md5 of its rows in a fixed order. */
    Map<String, String> tableFingerprints() throws SQLException {
        Map<String, String> fingerprints = new TreeMap<>();
        for (String db : DATABASES) {
            try (Connection c = connect(db)) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rows = c.createStatement().executeQuery(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'flyway_schema_history'")) {
                    while (rows.next()) {
                        tables.add(rows.getString(1));
                    }
                }
                for (String table : tables) {
                    try (ResultSet rows = c.createStatement().executeQuery("SELECT count(*) || ' rows, md5 '"
                            + " || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') FROM \"" + table + "\" t")) {
                        rows.next();
                        fingerprints.put(db + "." + table, rows.getString(1));
                    }
                }
            }
        }
        return fingerprints;
    }

    String logs() {
        StringBuilder out = new StringBuilder();
        for (String module : MODULES) {
            Path log = dataDir.resolve("logs").resolve(module + ".log");
            try {
                if (Files.exists(log)) {
                    List<String> lines = Files.readAllLines(log);
                    out.append("\n--- ").append(module).append(" (last 40 lines)\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
                }
            } catch (IOException ignored) {
                // best effort diagnostics
            }
        }
        return out.toString();
    }

    Path jar(String module) throws IOException {
        try (var files = Files.list(root.resolve(module).resolve("target"))) {
            return files.filter(p -> p.getFileName().toString().matches(module + "-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(module + " is not packaged"));
        }
    }

    @Override
    public synchronized void close() {
        for (int i = launched.size() - 1; i >= 0; i--) {
            stop(launched.get(i).toHandle());
        }
        if (database != null) {
            stop(database.toHandle());
        }
    }

    private static void stop(ProcessHandle process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // ./loyalty traps TERM and stops what it started
        try {
            process.onExit().get(90, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed");
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int[] freePorts(int n) {
        int[] ports = new int[n];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ports;
    }
}
