package io.loyalty.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/** Purchase ingestion: batches of the contract's size, a few in flight, as a partner system would send. */
final class PurchaseIngestion {

    private PurchaseIngestion() {
    }

    static void run(Map<String, String> options) throws Exception {
        URI base = URI.create(Bench.option(options, "url", "http://127.0.0.1:8080"));
        String key = options.get("api-key");
        int total = Integer.parseInt(Bench.option(options, "purchases", "500000"));
        int batchSize = Integer.parseInt(Bench.option(options, "batch", "5000"));
        int inFlight = Integer.parseInt(Bench.option(options, "concurrency", "4"));
        String prefix = Bench.option(options, "prefix", "B" + System.currentTimeMillis() + "-");

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < total; from += batchSize) {
            bodies.add(batchJson(prefix, from, Math.min(total, from + batchSize)));
        }
        Semaphore permits = new Semaphore(inFlight);
        AtomicLong failed = new AtomicLong();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        // this client shares the machine's cores with what it measures: its own CPU is printed beside the rate
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStarted = os.getProcessCpuTime();
        long started = System.nanoTime();
        for (byte[] body : bodies) {
            permits.acquire();
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/v1/purchases/batch"))
                    .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            pending.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                permits.release();
                if (e != null || r.statusCode() != 200) {
                    failed.incrementAndGet();
                    System.err.println("batch failed: " + (e != null ? e : r.statusCode() + " " + r.body()));
                }
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - started) / 1e9;
        double clientCpu = (os.getProcessCpuTime() - cpuStarted) / 1e9;
        System.out.printf("purchases via %s: %d in %.2f s = %.0f purchases/s (batches of %d, %d in flight, %d failed; "
                        + "this client used %.1f CPU s)%n",
                base, total, seconds, total / seconds, batchSize, inFlight, failed.get(), clientCpu);
    }

    /** The same rows by COPY into a scratch copy of the purchase table in the same database. */
    /**
     * After the ingestion scenarios: vacuum and analyze what they wrote and checkpoint, then wait until no
     * autovacuum worker runs, so the page scenario that follows measures pages and not the database's
     * after-work on a million fresh rows on the same two cores. Prints how long that took.
     */
    static void settle(Map<String, String> options) throws Exception {
        String url = Bench.option(options, "jdbc", "jdbc:postgresql://127.0.0.1:15432/clv_service");
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); var s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE) purchases");
            s.execute("DROP TABLE IF EXISTS bench_copy");
            s.execute("CHECKPOINT");
            for (int i = 0; i < 600; i++) {
                try (var rows = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")) {
                    rows.next();
                    if (rows.getLong(1) == 0) {
                        break;
                    }
                }
                Thread.sleep(500);
            }
        }
        System.out.printf(Locale.ROOT, "database settled (VACUUM ANALYZE purchases, CHECKPOINT, no autovacuum running) in %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
    }

    static void copy(Map<String, String> options) throws Exception {
        String url = Bench.option(options, "jdbc", "jdbc:postgresql://127.0.0.1:15432/clv_service");
        String table = Bench.option(options, "table", "purchases");
        int total = Integer.parseInt(Bench.option(options, "purchases", "500000"));
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            c.createStatement().execute("DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (LIKE " + table + " INCLUDING ALL)");
            List<String> columns = new ArrayList<>();
            try (var rows = c.createStatement().executeQuery("SELECT column_name FROM information_schema.columns "
                    + "WHERE table_name = 'bench_copy' AND column_default IS NULL AND is_generated = 'NEVER' "
                    + "ORDER BY ordinal_position")) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder csv = new StringBuilder(total * 80);
            Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
            for (int i = 0; i < total; i++) {
                List<String> values = new ArrayList<>(columns.size());
                for (String column : columns) {
                    values.add(switch (column) {
                        case "order_id" -> "copy-" + i;
                        case "customer_id" -> "copy-c" + (i % 100_000);
                        case "occurred_at" -> t0.plusSeconds(i * 37L).toString();
                        case "amount", "original_amount" -> "12.50";
                        case "currency" -> "USD";
                        default -> "\\N";
                    });
                }
                csv.append(String.join("\t", values)).append('\n');
            }
            long started = System.nanoTime();
            long rows = copy.copyIn("COPY bench_copy (" + String.join(",", columns) + ") FROM STDIN", new StringReader(csv.toString()));
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("raw COPY into %s: %d rows in %.2f s = %.0f rows/s (columns %s)%n", url, rows, seconds,
                    rows / seconds, columns);
            c.createStatement().execute("DROP TABLE bench_copy");
        }
    }

    private static byte[] batchJson(String prefix, int from, int to) {
        StringBuilder json = new StringBuilder((to - from) * 130).append("{\"purchases\":[");
        Instant t0 = Instant.parse("2024-12-01T00:00:00Z");
        for (int i = from; i < to; i++) {
            if (i > from) {
                json.append(',');
            }
            json.append("{\"orderId\":\"").append(prefix).append(i)
                    .append("\",\"customerId\":\"").append(prefix).append("c").append(i % 100_000)
                    .append("\",\"occurredAt\":\"").append(t0.plusSeconds(i * 41L))
                    .append("\",\"amount\":").append(5 + (i % 1000) / 10.0)
                    .append(",\"currency\":\"USD\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
