package io.loyalty.dbbootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EmbeddedDatabaseServerIT {

    @TempDir
    Path dataDir;

    @Test
    void dataSurvivesAStopAndStart() throws Exception {
        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dataDir, 0, false, true)) {
            server.ensureDatabase("kept");
            server.ensureDatabase("kept"); // a second call is a no-op, not an error
            execute(server, "kept", "CREATE TABLE note (text text); INSERT INTO note VALUES ('still here')");
        }
        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dataDir, 0, false, true)) {
            assertThat(queryOne(server, "kept", "SELECT text FROM note")).isEqualTo("still here");
        }
    }

    @Test
    void aServerOrphanedByAKilledJvmIsTakenOver() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OrphanMaker.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("READY")) {
                // skip the server's log lines
            }
            assertThat(line).as("child started its server").startsWith("READY");
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook runs, the postmaster keeps running
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dataDir, 0, false, true)) {
            assertThat(queryOne(server, "orphaned", "SELECT text FROM note")).isEqualTo("written before the kill");
        }
    }

    @Test
    void aDurableServerSyncsCommitsAndAScratchOneDoesNot() throws Exception {
        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dataDir.resolve("durable"), 0, false, true)) {
            assertThat(queryOne(server, "postgres", "SHOW fsync")).isEqualTo("on");
            assertThat(queryOne(server, "postgres", "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(queryOne(server, "postgres", "SHOW max_wal_size")).isEqualTo("4GB");
        }
        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dataDir.resolve("scratch"), 0, false, false)) {
            assertThat(queryOne(server, "postgres", "SHOW fsync")).isEqualTo("off");
            assertThat(queryOne(server, "postgres", "SHOW synchronous_commit")).isEqualTo("off");
            assertThat(queryOne(server, "postgres", "SHOW max_wal_size")).isEqualTo("1GB");
        }
    }

    @Test
    void startsWithTheGivenServerSettings() throws Exception {
        Map<String, String> settings = EmbeddedDatabaseServer.parseSettings(" work_mem=8MB, max_wal_size=2GB ", "test");
        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dataDir, 0, false, true, settings)) {
            assertThat(queryOne(server, "postgres", "SHOW work_mem")).isEqualTo("8MB");
            assertThat(queryOne(server, "postgres", "SHOW max_wal_size")).as("over the durable default").isEqualTo("2GB");
            assertThat(queryOne(server, "postgres", "SHOW fsync")).isEqualTo("on");
        }
    }

    @Test
    void settingsAreNameValuePairsThatNeedNoQuoting() {
        assertThat(EmbeddedDatabaseServer.parseSettings(null, "x")).isEmpty();
        assertThat(EmbeddedDatabaseServer.parseSettings("  ", "x")).isEmpty();
        assertThat(EmbeddedDatabaseServer.parseSettings("shared_buffers=1GB,auto_explain.log_min_duration=250ms", "x"))
                .containsExactly(Map.entry("shared_buffers", "1GB"), Map.entry("auto_explain.log_min_duration", "250ms"));
        for (String bad : List.of("shared_buffers", "shared_buffers=", "=1GB", "work_mem=8MB,", "work_mem='8MB'",
                "work_mem=8 MB", "work_mem=8MB -c fsync=off", "work-mem=8MB")) {
            assertThatIllegalArgumentException()
                    .as(bad)
                    .isThrownBy(() -> EmbeddedDatabaseServer.parseSettings(bad, "LOYALTY_DB_SETTINGS"))
                    .withMessageStartingWith("LOYALTY_DB_SETTINGS: ");
        }
    }

    @Test
    void rejectsDatabaseNamesThatWouldNeedQuoting() {
        try (EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(dataDir, 0, false, true)) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> server.ensureDatabase("x; DROP DATABASE postgres"));
        }
    }

    static void execute(EmbeddedDatabaseServer server, String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(db), "postgres", "")) {
            c.createStatement().execute(sql);
        }
    }

    static String queryOne(EmbeddedDatabaseServer server, String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(db), "postgres", "");
             ResultSet rows = c.createStatement().executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    /** Runs in a child JVM: starts a server, writes a row, then waits to be killed. */
    public static final class OrphanMaker {
        public static void main(String[] args) throws Exception {
            EmbeddedDatabaseServer server = EmbeddedDatabaseServer.start(Path.of(args[0]), 0, false, true);
            server.ensureDatabase("orphaned");
            execute(server, "orphaned", "CREATE TABLE note (text text); INSERT INTO note VALUES ('written before the kill')");
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
