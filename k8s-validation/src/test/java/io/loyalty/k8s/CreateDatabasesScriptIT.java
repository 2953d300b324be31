package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local overlay's PostgreSQL init script and readiness command, run with psql against a real
 * (embedded) PostgreSQL the way the postgres image runs them on an empty data directory.
 */
class CreateDatabasesScriptIT {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // the image connects over its socket as POSTGRES_USER; here the same psql reaches the embedded server by TCP
        builder.environment().putAll(Map.of("POSTGRES_USER", "postgres", "PGHOST", "127.0.0.1",
                "PGPORT", String.valueOf(postgres.getPort())));
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static List<String> readinessCommand() {
        var statefulSet = Manifests.named(Overlays.rendered("overlays/local"), "StatefulSet", "postgres");
        return Manifests.texts(Manifests.podSpec(statefulSet).at("/containers/0/readinessProbe/exec/command"));
    }

    @Test
    void createsTheFourServiceDatabasesAndThenReportsReady() throws Exception {
        Path script = Manifests.k8sDir().resolve("overlays/local/create-databases.sh");

        assertThat(run(readinessCommand()).exit()).as("not ready before the databases exist").isNotZero();

        Result created = run(List.of("/bin/sh", script.toString()));
        assertThat(created.exit()).as(created.output()).isZero();

        List<String> databases = new ArrayList<>();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             ResultSet rows = connection.createStatement().executeQuery("SELECT datname FROM pg_database WHERE NOT datistemplate")) {
            while (rows.next()) {
                databases.add(rows.getString(1));
            }
        }
        assertThat(databases).contains("survey_service", "ticket_service", "clv_service", "gateway");

        Result ready = run(readinessCommand());
        assertThat(ready.exit()).as(ready.output()).isZero();

        // the image runs it only on an empty data directory; run again it fails loudly rather than half-way
        assertThat(run(List.of("/bin/sh", script.toString())).exit()).isNotZero();
    }
}
