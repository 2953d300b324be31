package io.loyalty.ticket.bench;

import io.loyalty.ticket.TicketServiceApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not a test: measures the running service end to end over HTTP against a real PostgreSQL.
 * <ol>
 *   <li>event ingestion through {@code POST /api/v1/ticket-events/batch} (1,000 events per request, each
 *   ticket's lifecycle inside one batch so concurrent batches never race on a ticket), and through the
 *   single-event endpoint for comparison;</li>
 *   <li>{@code GET /api/v1/tickets/stats} for one quarter with a table of 1M tickets bulk-loaded by SQL
 *   (INSERT ... SELECT generate_series: the derived columns are drawn at random, not replayed).</li>
 * </ol>
 * Run with {@code ticket-service/bench/run.sh [--tickets=20000] [--single-tickets=2000] [--stats-tickets=1000000]
 * [--concurrency=4] [--stats-runs=20]}. The database is the one test-support picks (embedded PostgreSQL in a
 * temp dir unless LOYALTY_TEST_DATABASE_URL is set), so every run starts from an empty schema.
 */
public final class TicketBenchmark {

    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final StringBuilder report = new StringBuilder();

    private TicketBenchmark(String base, String jdbcUrl, String user, String password) {
        this.base = base;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String a : args) {
            for (String part : a.trim().split("\\s+")) {
                if (part.startsWith("--") && part.contains("=")) {
                    options.put(part.substring(2, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
                }
            }
        }
        int tickets = Integer.parseInt(options.getOrDefault("tickets", "20000"));
        int singleTickets = Integer.parseInt(options.getOrDefault("single-tickets", "2000"));
        int statsTickets = Integer.parseInt(options.getOrDefault("stats-tickets", "1000000"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "4"));
        int statsRuns = Integer.parseInt(options.getOrDefault("stats-runs", "20"));

        ConfigurableApplicationContext app = new SpringApplicationBuilder(TicketServiceApplication.class)
                .properties("server.port=0", "spring.grpc.server.port=0", "logging.level.root=WARN",
                        "spring.main.banner-mode=off")
                .run();
        int exit = 0;
        try {
            Environment env = app.getEnvironment();
            TicketBenchmark bench = new TicketBenchmark("http://127.0.0.1:" + env.getProperty("local.server.port"),
                    env.getProperty("spring.flyway.url"), env.getProperty("spring.flyway.user"),
                    env.getProperty("spring.flyway.password", ""));
            bench.machine(concurrency);
            bench.batchIngestion(tickets, concurrency);
            bench.singleIngestion(singleTickets, concurrency * 8);
            bench.statsLatency(statsTickets, statsRuns);
            Path out = Path.of("target", "ticket-benchmark.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, bench.report);
            System.out.println("\n" + bench.report + "\nwritten to " + out.toAbsolutePath());
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        } finally {
            app.close();
        }
        System.exit(exit);
    }

    private void say(String line) {
        System.out.println(line);
        report.append(line).append('\n');
    }

    private void machine(int concurrency) {
        say("## Run " + Instant.now());
        say("- machine: " + Runtime.getRuntime().availableProcessors() + " CPUs visible to the JVM, "
                + (((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 20) + " MiB RAM; Java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vm.name") + ")");
        say("- database: " + jdbcUrl.replaceAll("//[^/]*@", "//") + " (" + query("SELECT version()") + ")");
        say("- load average at start (other jobs share this machine): " + loadAverage());
        say("- client: JDK HttpClient in the same JVM as the service, " + concurrency + " concurrent batch senders");
    }

    // ---------------------------------------------------------------- ingestion

    private long policyVersion() throws Exception {
        send("PUT", "/api/v1/sla-policies/NORMAL", "{\"firstResponseMinutes\": 60, \"resolutionMinutes\": 480}", 200);
        return Long.parseLong(query("SELECT id FROM sla_policy WHERE priority = 'NORMAL' AND is_current"));
    }

    /** Tickets straight into the table (NEW, clock state as SlaEngine.open leaves it for a 24/7 policy). */
    private List<String> seedTickets(String tag, int count, long policy) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO ticket (id, external_id, customer_id, subject, priority, channel, status, opened_at, "
                    + "opened_at_given, sla_policy_id, last_event_at, first_response_due_at, resolution_due_at) "
                    + "SELECT gen_random_uuid(), '" + tag + "-' || g, '" + tag + "-c' || (g % 5000), 'bench', 'NORMAL', "
                    + "'EMAIL', 'NEW', o, true, " + policy + ", o, o + interval '60 minutes', o + interval '480 minutes' "
                    + "FROM generate_series(1, " + count + ") g, "
                    + "LATERAL (SELECT timestamptz '2026-01-05 08:00Z' + g * interval '7 seconds' AS o) t");
            List<String> ids = new ArrayList<>(count);
            try (ResultSet rows = s.executeQuery("SELECT id, opened_at FROM ticket WHERE external_id LIKE '" + tag
                    + "-%' ORDER BY seq")) {
                while (rows.next()) {
                    ids.add(rows.getString(1) + "|" + rows.getObject(2, java.time.OffsetDateTime.class).toInstant());
                }
            }
            return ids;
        }
    }

    /** A typical lifecycle: reply, pending, customer reply, solved, closed. */
    private static List<String> lifecycle(String ticketAndOpened, boolean withTicketId) {
        String[] parts = ticketAndOpened.split("\\|");
        Instant opened = Instant.parse(parts[1]);
        Object[][] steps = {{"AGENT_REPLY", 10}, {"PENDING", 20}, {"CUSTOMER_REPLY", 140}, {"SOLVED", 200},
                {"CLOSED", 6_000}};
        List<String> events = new ArrayList<>();
        for (Object[] step : steps) {
            String body = "\"eventId\":\"" + step[0] + "\",\"type\":\"" + step[0] + "\",\"at\":\""
                    + opened.plusSeconds(60L * (Integer) step[1]) + "\"";
            events.add(withTicketId ? "{\"ticketId\":\"" + parts[0] + "\"," + body + "}" : "{" + body + "}");
        }
        return events;
    }

    private void batchIngestion(int ticketCount, int concurrency) throws Exception {
        if (ticketCount <= 0) {
            return;
        }
        long policy = policyVersion();
        List<String> tickets = seedTickets("batch", ticketCount, policy);
        List<String> bodies = new ArrayList<>();
        int perBatch = 200; // 200 tickets x 5 events = 1,000 events per request
        for (int i = 0; i < tickets.size(); i += perBatch) {
            List<String> events = new ArrayList<>();
            for (String t : tickets.subList(i, Math.min(tickets.size(), i + perBatch))) {
                events.addAll(lifecycle(t, true));
            }
            bodies.add("{\"events\":[" + String.join(",", events) + "]}");
        }
        // warm-up on a separate set so JIT and pools are hot before timing
        List<String> warm = seedTickets("warm", 2_000, policy);
        List<String> warmEvents = new ArrayList<>();
        warm.forEach(t -> warmEvents.addAll(lifecycle(t, true)));
        for (int i = 0; i < warmEvents.size(); i += 1000) {
            send("POST", "/api/v1/ticket-events/batch",
                    "{\"events\":[" + String.join(",", warmEvents.subList(i, Math.min(warmEvents.size(), i + 1000))) + "]}", 200);
        }

        AtomicLong accepted = new AtomicLong();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> done = new ArrayList<>();
        for (String body : bodies) {
            done.add(pool.submit(() -> {
                String response = send("POST", "/api/v1/ticket-events/batch", body, 200);
                Matcher m = ACCEPTED.matcher(response);
                if (m.find()) {
                    accepted.addAndGet(Long.parseLong(m.group(1)));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        String loadAfter = loadAverage();
        long events = ticketCount * 5L;
        String closed = query("SELECT count(*) FROM ticket WHERE external_id LIKE 'batch-%' AND status = 'CLOSED' "
                + "AND first_response_seconds = 600 AND resolution_seconds = 4800");
        say("");
        say("### Event ingestion, batch endpoint");
        say(String.format("- %,d events (%,d tickets x 5) in %d requests of 1,000, %d in flight: %.2f s = **%,.0f events/s**",
                events, ticketCount, bodies.size(), concurrency, seconds, events / seconds));
        say(String.format("- accepted %,d; tickets CLOSED with first response 600 s and resolution 4,800 s "
                + "(10 min + 60 min after the pending): %s of %,d; load average after: %s", accepted.get(), closed,
                ticketCount, loadAfter));
    }

    private void singleIngestion(int ticketCount, int threads) throws Exception {
        if (ticketCount <= 0) {
            return;
        }
        long policy = policyVersion();
        List<String> tickets = seedTickets("single", ticketCount, policy);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        // each task owns whole tickets, so a ticket's events go in order
        for (String t : tickets) {
            done.add(pool.submit(() -> {
                String id = t.split("\\|")[0];
                for (String event : lifecycle(t, false)) {
                    send("POST", "/api/v1/tickets/" + id + "/events", event, 200);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long events = ticketCount * 5L;
        say("");
        say("### Event ingestion, one event per request");
        say(String.format("- %,d events (%,d tickets x 5), %d clients in flight: %.2f s = **%,.0f events/s**",
                events, ticketCount, threads, seconds, events / seconds));
    }

    // ---------------------------------------------------------------- stats

    private void statsLatency(int count, int runs) throws Exception {
        if (count <= 0) {
            return;
        }
        long policy = policyVersion();
        long loadStart = System.nanoTime();
        int chunk = 100_000;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (int from = 1; from <= count; from += chunk) {
                int to = Math.min(count, from + chunk - 1);
                // 2025, evenly spread; ~85% solved or closed, 10% reopened, replies 1 min-3 h, resolutions 10 min-2 days
                s.execute("INSERT INTO ticket (id, external_id, customer_id, subject, priority, channel, status, opened_at, "
                        + "opened_at_given, sla_policy_id, last_event_at, active_seconds, first_response_at, "
                        + "first_response_seconds, solved_at, resolution_seconds, reopens, first_response_due_at, "
                        + "resolution_due_at, first_response_breached, resolution_breached) "
                        + "SELECT gen_random_uuid(), 'load-' || g, 'load-c' || (g % 200000), 'bench', 'NORMAL', 'EMAIL', "
                        + "CASE WHEN r1 < 0.85 THEN (CASE WHEN r1 < 0.6 THEN 'CLOSED' ELSE 'SOLVED' END) "
                        + "     WHEN r1 < 0.95 THEN 'OPEN' ELSE 'PENDING' END, "
                        + "o, true, " + policy + ", o + res * interval '1 second', res, o + fr * interval '1 second', fr, "
                        + "CASE WHEN r1 < 0.85 THEN o + res * interval '1 second' END, CASE WHEN r1 < 0.85 THEN res END, "
                        + "CASE WHEN r2 < 0.1 THEN 1 ELSE 0 END, o + interval '60 minutes', o + interval '480 minutes', "
                        + "fr > 3600, r1 < 0.85 AND res > 28800 "
                        + "FROM generate_series(" + from + ", " + to + ") g, LATERAL (SELECT "
                        + "timestamptz '2025-01-01 00:00Z' + (g::float8 / " + count + ") * interval '365 days' AS o, "
                        + "random() AS r1, random() AS r2, (60 + random() * 10740)::bigint AS fr, "
                        + "(600 + random() * random() * 172200)::bigint AS res) x");
                System.out.printf("loaded %,d tickets%n", to);
            }
            s.execute("VACUUM ANALYZE ticket");
        }
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        String total = query("SELECT count(*) FROM ticket");
        String quarter = query("SELECT count(*) FROM ticket WHERE opened_at >= '2025-04-01' AND opened_at < '2025-07-01'");

        say("");
        say("### Statistics latency");
        say(String.format("- bulk load of %,d tickets by INSERT ... SELECT generate_series (derived columns drawn at "
                + "random, no events replayed) + VACUUM ANALYZE: %.1f s; table now holds %s tickets", count, loadSeconds, total));
        measure("quarter 2025-04-01..2025-06-30 (" + quarter + " tickets)", "/api/v1/tickets/stats?from=2025-04-01&to=2025-06-30", runs);
        measure("whole year 2025 (all loaded tickets)", "/api/v1/tickets/stats?from=2025-01-01&to=2025-12-31", Math.max(3, runs / 4));
        String plan = queryAll("SET work_mem = '64MB'; SET jit = off; EXPLAIN (ANALYZE, BUFFERS) SELECT count(*), "
                + "percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_seconds), "
                + "percentile_cont(0.9) WITHIN GROUP (ORDER BY first_response_seconds), "
                + "percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution_seconds), "
                + "percentile_cont(0.9) WITHIN GROUP (ORDER BY resolution_seconds) "
                + "FROM ticket WHERE opened_at >= '2025-04-01' AND opened_at < '2025-07-01'");
        say("- plan of the quarter's percentiles with the endpoint's session settings (work_mem 64MB, jit off; "
                + "the endpoint's query also counts breaches and reopens):");
        say("```");
        say(plan.strip());
        say("```");
    }

    private void measure(String label, String uri, int runs) throws Exception {
        for (int i = 0; i < 3; i++) {
            send("GET", uri, null, 200);
        }
        double[] ms = new double[runs];
        String body = null;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            body = send("GET", uri, null, 200);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        say(String.format("- %s, %d requests after 3 warm-up: median **%.0f ms**, p90 %.0f ms, max %.0f ms "
                + "(load average after: %s)", label, runs, ms[runs / 2], ms[(int) Math.ceil(runs * 0.9) - 1],
                ms[runs - 1], loadAverage()));
        say("  - answer: `" + body + "`");
    }

    // ---------------------------------------------------------------- plumbing

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private String send(String method, String path, String body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    private String query(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String queryAll(String sql) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            // several statements: the last one's rows are the answer
            boolean results = s.execute(sql);
            while (true) {
                if (results) {
                    out.setLength(0);
                    try (ResultSet rows = s.getResultSet()) {
                        while (rows.next()) {
                            out.append(rows.getString(1)).append('\n');
                        }
                    }
                } else if (s.getUpdateCount() == -1) {
                    break;
                }
                results = s.getMoreResults();
            }
        }
        return out.toString();
    }
}
